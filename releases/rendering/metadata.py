"""The metadata a release's page carries for machines: schema.org NewsArticle (JSON-LD)."""

from __future__ import annotations

from django.conf import settings


def absolute(path: str) -> str:
    """A site path as an absolute URL on SITE_URL, the public origin; absolute URLs pass through."""
    return settings.SITE_URL + path if path.startswith("/") else path


def news_article(r) -> dict:
    """schema.org NewsArticle of a composed release (`releases.rendering.compose.ComposedRelease`)."""
    content = r.content
    listings = list(content.listings)
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
    published = modified = r.publication_iso
    if content.corrects is not None and content.corrects.date:
        # A correction is a new revision of the same news: first published then, modified now.
        published = content.corrects.date.astimezone(content.company.zone).isoformat()
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": r.headline[:110],
        "articleSection": r.label,
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
