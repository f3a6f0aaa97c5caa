from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from releases.views import favicon

urlpatterns = [
    # The admin scripts' words (static/admin_ext, and the editor's own), in the interface's language.
    path(
        "admin/jsi18n/newsroom/",
        JavaScriptCatalog.as_view(packages=["releases", "django_prose_editor"]),
        name="newsroom-jsi18n",
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("releases.api.urls")),
    path("favicon.ico", favicon, name="favicon"),
]
urlpatterns += i18n_patterns(
    path("", include("releases.urls")),
    path("alerts/", include("releases.distribution.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    # Only company logos are public media; release images are served by a view that checks.
    urlpatterns += static(settings.MEDIA_URL + "logos/", document_root=settings.MEDIA_ROOT / "logos")
