"""The public newsroom's routes, under each language's prefix (/ for English, /fr/ …)."""

from django.urls import path

from . import views
from .feeds import LatestReleasesAtomFeed, LatestReleasesFeed
from .sitemaps import SITEMAPS, sitemap_index, sitemap_section

app_name = "newsroom"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("releases/<slug:slug>/", views.detail, name="detail"),
    path("releases/<slug:slug>.pdf", views.pdf, name="pdf"),
    path("releases/<slug:slug>/<slug:digest>.pdf", views.fingerprinted_pdf, name="pdf-fingerprinted"),
    path("releases/<slug:slug>/media-kit.zip", views.media_kit, name="media-kit"),
    path("feeds/rss.xml", LatestReleasesFeed(), name="rss"),
    path("feeds/atom.xml", LatestReleasesAtomFeed(), name="atom"),
    path(
        "sitemap.xml",
        views.public_list(sitemap_index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "newsroom:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml", views.public_list(sitemap_section), {"sitemaps": SITEMAPS}, name="sitemap-section"
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("media/release-images/<str:folder>/<str:name>", views.release_image, name="release-image"),
    path("media/logos/<str:name>", views.company_logo, name="logo"),
]
