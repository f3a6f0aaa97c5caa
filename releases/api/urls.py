"""The API under /api/: v1 resources, the OpenAPI schema and its docs."""

from django.conf import settings
from django.http import JsonResponse
from django.urls import include, path, re_path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("public/releases", views.PublicReleaseViewSet, basename="public-release")
router.register("releases", views.ReleaseViewSet, basename="release")
router.register("companies", views.CompanyViewSet, basename="company")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("pipeline-assets", views.PipelineAssetViewSet, basename="pipeline-asset")
router.register("boilerplate-blocks", views.BoilerplateBlockViewSet, basename="boilerplate-block")
router.register("disclaimers", views.DisclaimerViewSet, basename="disclaimer")


@csrf_exempt  # It changes nothing; a 403 for a missing CSRF token would hide the 404.
def not_found(request, *args, **kwargs):
    """Any other address under /api/v1/ (an id such as 1abc or -1): a 404 in the API's error shape."""
    return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)


urlpatterns = [
    path("v1/", include(router.urls)),
    re_path(r"^v1/[\s\S]*/$", not_found),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets styles inline: its page alone may, scripts still come from this site only.
    # A page to read: GET and HEAD (OPTIONS would ask its HTML renderer for a template it does not have).
    path(
        "docs/",
        csp_override({**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema", http_method_names=["get", "head"])
        ),
        name="docs",
    ),
]
