"""The newsroom's admin site: the company in the header, the day's work on the index.

It is the project's default admin site (`releases.apps.NewsroomAdminConfig`), so third-party
registrations (users, groups) land on it too.
"""

from django.contrib import admin
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

    def index(self, request, extra_context=None):
        return super().index(request, {**dashboard_context(request), **(extra_context or {})})
