"""The newsroom's admin site: the company in the header, the day's work on the index.

It is the project's default admin site (`releases.apps.NewsroomAdminConfig`), so third-party
registrations (users, groups) land on it too.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .dashboard import dashboard_context
from .display import house_company


class NewsroomAdminSite(admin.AdminSite):
    index_title = _("Today in the newsroom")

    def each_context(self, request):
        context = super().each_context(request)
        company = house_company(request.user)
        title = _("%(company)s newsroom") % {"company": company.short_name} if company else _("Newsroom")
        context.update({"house_company": company, "site_header": title, "site_title": title})
        return context

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every ModelAdmin, ours and third parties', answers input it cannot use in words (releases.admin.guards)."""
        from .guards import InputGuardMixin

        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, InputGuardMixin):
            attributes = {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__}
            admin_class = type(admin_class.__name__, (InputGuardMixin, admin_class), attributes)
        super().register(model_or_iterable, admin_class, **options)

    def index(self, request, extra_context=None):
        return super().index(request, {**dashboard_context(request), **(extra_context or {})})

    def get_urls(self):
        urls = super().get_urls()
        view_on_site = path(
            "r/<path:content_type_id>/<path:object_id>/", self.admin_view(self.view_on_site), name="view_on_site"
        )
        return [view_on_site if getattr(url, "name", None) == "view_on_site" else url for url in urls]

    def view_on_site(self, request, content_type_id, object_id):
        """“View on site” for those who may read the item here: Django's own shortcut redirects any member of
        staff to an object's public address, and a release's address names its slug (its headline) before its
        moment. The object is looked up as its admin would, through the user's permissions and companies."""
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        if not (content_type_id.isascii() and content_type_id.isdigit() and len(content_type_id) < 10):
            raise Http404("No such item.")
        content_type = ContentType.objects.filter(pk=int(content_type_id)).first()
        model_admin = self._registry.get(content_type.model_class()) if content_type else None
        if model_admin is None:
            raise Http404("No such item.")
        obj = model_admin.get_object(request, unquote(object_id))
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            raise Http404("No such item.")
        return shortcut(request, content_type_id, str(obj.pk))
