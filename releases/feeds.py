"""RSS 2.0 and Atom feeds of public releases, one pair per language (/feeds/rss.xml, /fr/feeds/rss.xml …)."""

from __future__ import annotations

import datetime as dt
import html

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from . import caching, selectors

FEED_SIZE = 30
# An empty feed's date: fixed, so a language without releases answers the same bytes until one goes public
# (Django would write the current time, which would change a feed while a release is under embargo).
EMPTY_FEED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class _StableDates:
    def latest_post_date(self):
        if not any(item.get("pubdate") or item.get("updateddate") for item in self.items):
            return EMPTY_FEED_DATE
        return super().latest_post_date()


class StableRssFeed(_StableDates, Rss201rev2Feed):
    pass


class StableAtomFeed(_StableDates, Atom1Feed):
    pass


class LatestReleasesFeed(Feed):
    """The latest public releases in the request's language; read through the gate at every request."""

    feed_type = StableRssFeed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        if response.status_code == 200:
            caching.mark(response, "list", bound=selectors.next_scheduled_moment())
        return response

    def get_object(self, request, *args, **kwargs):
        return get_language()

    def title(self, language):
        return pgettext("feed title", "Press releases")

    def link(self, language):
        return settings.SITE_URL + reverse("newsroom:index")

    def feed_url(self, language):
        name = "newsroom:atom" if issubclass(self.feed_type, Atom1Feed) else "newsroom:rss"
        return settings.SITE_URL + reverse(name)

    def description(self, language):
        return _("The latest press releases, as published.")

    subtitle = description

    def items(self, language):
        return selectors.feed_items(language, FEED_SIZE)

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        lead = item.subheadline or Truncator(" ".join(html.unescape(strip_tags(item.body)).split())).words(60)
        if item.corrects_id:
            lead = _("Correction of “%(headline)s”.") % {"headline": item.corrects.headline} + " " + lead
        return lead

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item):
        return self.item_link(item)

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.publication_at

    def item_updateddate(self, item):
        return item.publication_at

    def item_author_name(self, item):
        return item.snapshot.company_name

    def item_categories(self, item):
        from .rendering.compose import LABELS

        # The label the release printed above its headline when it was approved, in the feed's language, then its
        # category: what the snapshot froze, not what the company's labels say today.
        label = item.snapshot.label or item.printed_label
        return [str(LABELS.get(label, LABELS["press_release"])), str(item.get_category_display())]

    def item_enclosure_url(self, item):
        # The PDF at the address that names its bytes: feed readers and CDNs keep it without asking again.
        sha = item.snapshot.pdf_sha256
        url = selectors.fingerprinted_pdf_url(item.language, item.slug, sha) if sha else item.get_pdf_url()
        return settings.SITE_URL + url

    def item_enclosure_length(self, item):
        # The exact size would cost a query per item; RSS allows 0 when it is not known.
        return 0

    item_enclosure_mime_type = "application/pdf"


class LatestReleasesAtomFeed(LatestReleasesFeed):
    feed_type = StableAtomFeed
