"""Newsroom routes: lists, search, feeds, sitemap, robots, release media (checked by the gate)."""

from django.urls import path
from django.views.decorators.cache import cache_control

from . import newsroom
from .feeds import LatestReleasesAtomFeed, LatestReleasesFeed
from .sitemaps import SITEMAPS, sitemap_index, sitemap_section

app_name = "newsroom"

urlpatterns = [
    path("", newsroom.index, name="index"),
    path("search/", newsroom.search, name="search"),
    path("feeds/rss.xml", LatestReleasesFeed(), name="rss"),
    path("feeds/atom.xml", LatestReleasesAtomFeed(), name="atom"),
    path(
        "sitemap.xml",
        cache_control(public=True, max_age=newsroom.LIST_MAX_AGE)(sitemap_index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "newsroom:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cache_control(public=True, max_age=newsroom.LIST_MAX_AGE)(sitemap_section),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", newsroom.robots_txt, name="robots"),
    path("media/release-images/<str:folder>/<str:name>", newsroom.release_image, name="release-image"),
    path("media/logos/<str:name>", newsroom.company_logo, name="logo"),
]
