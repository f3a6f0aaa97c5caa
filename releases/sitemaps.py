"""sitemap.xml: the newsroom's pages and every listed release of every language, with lastmod."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import translation

from .models import Release


class _SiteUrlSitemap(Sitemap):
    """Locations on SITE_URL, the public origin, whatever host the request came to."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ReleaseSitemap(_SiteUrlSitemap):
    changefreq = "never"
    limit = 5000

    def items(self):
        return (
            Release.objects.listed()
            .only("id", "slug", "language", "publication_at", "category")
            .order_by("-publication_at", "-id")
        )

    def location(self, item):
        return item.get_absolute_url()

    def lastmod(self, item):
        return item.publication_at

    def priority(self, item):
        return 0.8 if item.category != Release.Category.NON_REGULATED else 0.6


class NewsroomSitemap(_SiteUrlSitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        """The default language's index, and every other language's once it has a listed release."""
        published = set(Release.objects.listed().values_list("language", flat=True).distinct())
        return [code for code, _name in settings.LANGUAGES if code == settings.LANGUAGE_CODE or code in published]

    def location(self, item):
        with translation.override(item):
            return reverse("newsroom:index")

    def lastmod(self, item):
        latest = Release.objects.listed().filter(language=item).order_by("-publication_at").first()
        return latest.publication_at if latest else None


SITEMAPS = {"newsroom": NewsroomSitemap, "releases": ReleaseSitemap}
