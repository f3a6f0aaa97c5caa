"""The API under /api/: v1 resources, the OpenAPI schema and its docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
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

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
