"""The language of the screens outside the public URLs (the admin): the user's choice, else the browser's.

The public site puts French under /fr/ with `i18n_patterns(prefix_default_language=False)`, and
Django's LocaleMiddleware then reads every address without a prefix as the default language, the
admin included. The admin has no language in its address, so this middleware, placed after
LocaleMiddleware, chooses its language the usual way: the language cookie (set by /i18n/setlang/),
else the browser's Accept-Language (an interface language), else settings.LANGUAGE_CODE.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control

PREFIXES = ("/admin/",)


class AdminLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(PREFIXES):
            language = translation.get_language_from_request(request, check_path=False)
            # The admin speaks the interface languages only (settings.INTERFACE_LANGUAGES); content languages
            # such as German have no complete interface catalogue.
            if language not in settings.INTERFACE_LANGUAGES:
                language = settings.LANGUAGE_CODE
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class NotFoundNoStoreMiddleware:
    """A 404 is never cached: a release must appear at its moment, not when a cache expires."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_cache=True, max_age=0)
        return response
