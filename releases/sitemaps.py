"""The sitemap: an index at /sitemap.xml naming paged sitemaps of the newsroom's pages and of every listed release.

A sitemap may hold 50,000 addresses; the releases' one is cut into pages of `ReleaseSitemap.limit`, oldest
first, so a page's content stays put as new releases arrive and only the last page grows. Every address is
on SITE_URL, the public origin, whatever host the request came to.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property

from . import listing
from .models import Release


class KnownCountPaginator(Paginator):
    """Django's paginator, told the number of items instead of counting them."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


class _SiteUrlSitemap(Sitemap):
    """Locations on SITE_URL, the public origin, whatever host the request came to."""

    @property
    def protocol(self):  # the index view reads the attribute
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_protocol(self, protocol=None):
        return self.protocol

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ReleaseSitemap(_SiteUrlSitemap):
    changefreq = "never"
    limit = 5000  # addresses per page of this sitemap (at most 50,000)

    def items(self):
        return (
            Release.objects.listed()
            .only("id", "slug", "language", "publication_at", "category")
            .order_by("publication_at", "id")
        )

    @property
    def paginator(self):
        """Pages of `limit` addresses, their number from the kept aggregate rather than a COUNT of releases."""
        return KnownCountPaginator(self.items(), self.limit, listing.count())

    def get_latest_lastmod(self):
        """For the index: the latest listed moment, read from the date index, instead of Django's walk through
        every release."""
        latest = Release.objects.listed().order_by("-publication_at", "-id")
        return latest.values_list("publication_at", flat=True).first()

    def location(self, item):
        # Release.get_absolute_url() with one reverse() per language instead of one per release (5,000 a page).
        prefixes = self.__dict__.setdefault("_prefixes", {})
        if item.language not in prefixes:
            with translation.override(item.language):
                prefixes[item.language] = reverse("newsroom:detail", kwargs={"slug": "slug"}).removesuffix("slug/")
        return f"{prefixes[item.language]}{item.slug}/"

    def lastmod(self, item):
        return item.publication_at

    def priority(self, item):
        return 0.8 if item.category != Release.Category.NON_REGULATED else 0.6


class NewsroomSitemap(_SiteUrlSitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        """The default language's index, and every other language's once it has a listed release."""
        published = listing.languages_listed()
        return [code for code, _name in settings.LANGUAGES if code == settings.LANGUAGE_CODE or code in published]

    def location(self, item):
        with translation.override(item):
            return reverse("newsroom:index")

    def lastmod(self, item):
        latest = Release.objects.listed().filter(language=item).order_by("-publication_at", "-id")
        return latest.values_list("publication_at", flat=True).first()


SITEMAPS = {"newsroom": NewsroomSitemap, "releases": ReleaseSitemap}


def sitemap_index(request, sitemaps, sitemap_url_name):
    """Django's sitemap index, each page of each sitemap addressed on SITE_URL rather than the request's host."""
    response = sitemap_views.index(request, sitemaps, sitemap_url_name=sitemap_url_name)
    for item in response.context_data["sitemaps"]:
        parts = urlsplit(item.location)
        item.location = settings.SITE_URL + parts.path + (f"?{parts.query}" if parts.query else "")
    return response


def sitemap_section(request, sitemaps, section):
    """One page (`?p=`) of one sitemap of the index."""
    return sitemap_views.sitemap(request, sitemaps, section=section)
