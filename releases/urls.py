from django.urls import path

from . import views

app_name = "releases"

urlpatterns = [
    path("releases/<slug:slug>/", views.detail, name="detail"),
    path("releases/<slug:slug>.pdf", views.pdf, name="pdf"),
]
