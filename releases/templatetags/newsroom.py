"""Template tags of the public newsroom: page metadata, feed links, the search form's words."""

from __future__ import annotations

import json

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Words of the newsroom's own pages, per language (the release page's words live in releases.rendering).
WORDS = {
    "en": {
        "search": "Search",
        "search_label": "Search press releases",
        "search_placeholder": "Search releases",
        "feeds": "Press releases",
        "newsroom": "Press releases",
        "newsroom_intro": "Announcements, results and regulated information, as published.",
        "skip": "Skip to content",
        "main_nav": "Main",
        "filters": "Filter releases",
        "year": "Year",
        "category": "Category",
        "language": "Language",
        "any_year": "All years",
        "any_category": "All categories",
        "all_languages": "All languages",
        "apply": "Apply",
        "clear": "Clear filters",
        "one_release": "release",
        "many_releases": "releases",
        "no_releases": "No press release matches these filters.",
        "previous": "Previous",
        "next": "Next",
        "page_of": "Page {page} of {pages}",
        "pagination": "Pages",
        "pdf": "PDF",
        "results_for": "Results for",
        "no_results": "No press release matches your search.",
        "search_hint": "Type words from a headline or the text of a release.",
        "query_cut": "Your search was shortened to its first 200 characters.",
        "rss": "RSS",
        "atom": "Atom",
        "follow_feeds": "Follow the releases:",
        "brand": "Newsroom",
        "archive_note": "Regulated information is kept online for at least five years.",
        "inside_information": "Inside information",
        "regulated": "Regulated information",
        "non_regulated": "Non-regulated information",
        "correction": "Correction",
        "other_language": "Français",
        "other_language_code": "fr",
    },
    "fr": {
        "search": "Rechercher",
        "search_label": "Rechercher dans les communiqués",
        "search_placeholder": "Rechercher un communiqué",
        "feeds": "Communiqués de presse",
        "newsroom": "Communiqués de presse",
        "newsroom_intro": "Annonces, résultats et informations réglementées, tels que publiés.",
        "skip": "Aller au contenu",
        "main_nav": "Navigation principale",
        "filters": "Filtrer les communiqués",
        "year": "Année",
        "category": "Catégorie",
        "language": "Langue",
        "any_year": "Toutes les années",
        "any_category": "Toutes les catégories",
        "all_languages": "Toutes les langues",
        "apply": "Filtrer",
        "clear": "Effacer les filtres",
        "one_release": "communiqué",
        "many_releases": "communiqués",
        "no_releases": "Aucun communiqué ne correspond à ces filtres.",
        "previous": "Précédente",
        "next": "Suivante",
        "page_of": "Page {page} sur {pages}",
        "pagination": "Pages",
        "pdf": "PDF",
        "results_for": "Résultats pour",
        "no_results": "Aucun communiqué ne correspond à votre recherche.",
        "search_hint": "Saisissez des mots du titre ou du texte d’un communiqué.",
        "query_cut": "Votre recherche a été réduite à ses 200 premiers caractères.",
        "rss": "RSS",
        "atom": "Atom",
        "follow_feeds": "Suivre les communiqués :",
        "brand": "Espace presse",
        "archive_note": "Les informations réglementées restent en ligne au moins cinq ans.",
        "inside_information": "Information privilégiée",
        "regulated": "Information réglementée",
        "non_regulated": "Information non réglementée",
        "correction": "Rectificatif",
        "other_language": "English",
        "other_language_code": "en",
    },
}
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def words(language: str | None = None) -> dict[str, str]:
    return WORDS.get(language or translation.get_language() or "en", WORDS["en"])


@register.simple_tag
def newsroom_word(key: str) -> str:
    return words().get(key, key)


@register.filter
def absolute(path: str) -> str:
    """A site path as an absolute URL on SITE_URL; absolute URLs pass through."""
    if not path:
        return ""
    return settings.SITE_URL + path if path.startswith("/") else path


@register.simple_tag
def newsroom_url(name: str, language: str | None = None) -> str:
    """A newsroom route in `language` (default: the active one)."""
    with translation.override(language or translation.get_language() or "en"):
        return reverse(f"newsroom:{name}")


@register.simple_tag
def feed_links() -> SafeString:
    """`<link rel="alternate">` to the RSS and Atom feeds of every language, for the page head."""
    rows = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            title = WORDS.get(code, WORDS["en"])["feeds"]
            rows.append(("application/rss+xml", f"{title} (RSS, {code})", reverse("newsroom:rss"), code))
            rows.append(("application/atom+xml", f"{title} (Atom, {code})", reverse("newsroom:atom"), code))
    return format_html_join("\n  ", '<link rel="alternate" type="{}" title="{}" href="{}" hreflang="{}">', rows)


def _json_ld(data: dict) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":")).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def news_article(r) -> dict:
    """schema.org NewsArticle of a composed release (`releases.rendering.compose.ComposedRelease`)."""
    content = r.content
    listings = list(getattr(content, "listings", []) or [])
    identifiers = []
    for listing in listings:
        identifiers.append({"@type": "PropertyValue", "propertyID": "ISIN", "value": listing.isin})
        identifiers.append(
            {"@type": "PropertyValue", "propertyID": "ticker", "value": listing.ticker, "description": listing.exchange}
        )
    publisher = {"@type": "Organization", "name": r.company_legal_name, "alternateName": r.company_name}
    if r.website:
        publisher["url"] = r.website
    if r.logo_url:
        publisher["logo"] = {"@type": "ImageObject", "url": absolute(r.logo_url)}
    if listings:
        publisher["tickerSymbol"] = [f"{lst.exchange} {lst.ticker}" for lst in listings]
        publisher["identifier"] = identifiers
    same_as = [u for u in (r.twitter_url, r.linkedin_url) if u]
    if same_as:
        publisher["sameAs"] = same_as
    published = r.publication_iso
    modified = r.publication_iso
    corrects = getattr(content, "corrects", None)
    if corrects is not None and corrects.date:
        # A correction is a new revision of the same news: first published then, modified now.
        published = corrects.date.astimezone(content.company.zone).isoformat()
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": r.headline[:110],
        "inLanguage": r.language,
        "publisher": publisher,
        "author": {"@type": "Organization", "name": r.company_legal_name},
    }
    if r.url:
        data["mainEntityOfPage"] = {"@type": "WebPage", "@id": r.url}
        data["url"] = r.url
    if r.subheadline:
        data["description"] = r.subheadline
    if published:
        data["datePublished"] = published
        data["dateModified"] = modified
    if r.logo_url:
        data["image"] = [absolute(r.logo_url)]
    if listings:
        data["identifier"] = identifiers
    if r.keywords:
        data["keywords"] = r.keywords
    if r.pdf_url:
        data["encoding"] = {"@type": "MediaObject", "contentUrl": r.pdf_url, "encodingFormat": "application/pdf"}
    return data


@register.simple_tag
def release_json_ld(r) -> SafeString:
    return _json_ld(news_article(r))


@register.simple_tag
def json_ld(data: dict) -> SafeString:
    return _json_ld(data)


@register.simple_tag
def og_locale(language: str) -> str:
    return {"en": "en_GB", "fr": "fr_FR"}.get(language, language)


@register.simple_tag
def marked(text) -> SafeString:
    """Already-escaped search output (see releases.search): only <mark> is markup."""
    return format_html("{}", text)
