"""Middleware of the project's own: answers that are the same for everyone, the admin's language, no stored 404.

`SameForEveryoneMiddleware` calls the views marked `@same_for_everyone` (a release's frozen page, its PDFs,
its media kit) as soon as the language, the common checks, the framing and the content-security headers are
in place, before the session, CSRF, authentication, messages, history and lockout middleware: their answer
depends on the address, the clock and the request's conditional headers only, never on who asks, so those
have nothing to do for them, and skipping them keeps the hottest public answers close to serving a file.
The same contract as the kept answers of `caching.KeptAnswersMiddleware`, which are replayed to everyone.
Such a view has no `request.user` and no session: it cannot come to depend on them unnoticed.

`AdminLocaleMiddleware`: the language of the screens outside the public URLs (the admin): the user's choice,
else the browser's.

The public site puts French under /fr/ with `i18n_patterns(prefix_default_language=False)`, and
Django's LocaleMiddleware then reads every address without a prefix as the default language, the
admin included. The admin has no language in its address, so this middleware, placed after
LocaleMiddleware, chooses its language the usual way: the language cookie (set by /i18n/setlang/),
else the browser's Accept-Language (an interface language), else settings.LANGUAGE_CODE.
"""

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control

PREFIXES = ("/admin/",)


def same_for_everyone(view):
    """Mark a public view whose answer never depends on who asks: `SameForEveryoneMiddleware` calls it before
    the session and authentication exist."""
    view.same_for_everyone = True
    return view


class SameForEveryoneMiddleware:
    """Calls a view marked `@same_for_everyone` for a GET or HEAD of its address, before the middleware after
    this one (session, CSRF, authentication, messages, history, lockout). Goes right after the language,
    common, framing and content-security middleware, whose work its answers need."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            try:
                match = resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "same_for_everyone", False):
                request.resolver_match = match
                return match.func(request, *match.args, **match.kwargs)
        return self.get_response(request)


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
