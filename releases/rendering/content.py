"""Everything a release says, as plain data: built from a saved release or from unsaved form data.

The composition reads only this, never the database, so a preview of unsaved changes, the API and
the frozen snapshot all go through the same path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.utils import translation

from .images import ImageData, freeze_release_image


@dataclass(frozen=True)
class CompanyData:
    """The issuer as a release prints it, in the release's language: frozen with the release at approval."""

    legal_name: str
    short_name: str
    slug: str = ""
    website: str = ""
    city: str = ""
    country: str = ""
    time_zone: str = "UTC"
    twitter_url: str = ""
    linkedin_url: str = ""
    logo: str = ""  # the logo's name in the media storage
    placeholders: dict = field(default_factory=dict)  # the values its texts fill in

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def logo_url(self) -> str:
        return default_storage.url(self.logo) if self.logo else ""


def company_data(company, language: str, style: HouseStyleData | None = None) -> CompanyData:
    """The company's values as a release in `language` prints them (dates in the house style's form)."""
    return CompanyData(
        legal_name=company.legal_name,
        short_name=company.short_name,
        slug=company.slug,
        website=company.website,
        city=company.city_in(language),
        country=company.country_in(language),
        time_zone=company.time_zone,
        twitter_url=company.twitter_url,
        linkedin_url=company.linkedin_url,
        logo=company.logo.name if company.logo else "",
        placeholders=company.placeholder_values(language, date_style=style.date_style if style else ""),
    )


@dataclass(frozen=True)
class HouseStyleData:
    """How the company writes a release in this language (releases.models.HouseStyle), frozen with the content.

    The defaults are what content frozen before house styles existed was composed with.
    """

    place: str = ""  # the dateline's place as written ("Cambridge, Mass."); empty: city, country
    pattern: str = ""  # "" the language's own, "dashes", "comma", "at", "wire"
    date_style: str = ""
    time_style: str = ""
    zone_style: str = "abbreviation"
    zone_in_parentheses: bool = False
    spacing: str = "none"  # "narrow": French spacing applied on output
    protect_names: bool = False  # names, codes, ISINs and tickers kept whole (no hyphenation, no line break)


HOUSE_STYLE_FIELDS = ("place", "pattern", "date_style", "time_style", "zone_style", "zone_in_parentheses")


def house_style_query():
    """The house style of a release's company in its language, as one JSON value for `Release.objects.annotate`."""
    from django.db.models import JSONField, OuterRef, Subquery
    from django.db.models.functions import JSONObject

    from releases.models import HouseStyle

    row = HouseStyle.objects.filter(company=OuterRef("company_id"), language=OuterRef("language")).values(
        style=JSONObject(**{name: name for name in (*HOUSE_STYLE_FIELDS, "punctuation_spacing")})
    )[:1]
    return Subquery(row, output_field=JSONField())


def house_style_of(company, language: str, row: dict | bool | None = False) -> HouseStyleData:
    """The company's house style in `language`, or the language's defaults when it has none.

    `row`: the values `house_style_query` read with the release (None: it has none); else they are read here.
    """
    from releases.rendering.typography import default_spacing

    if row is False:
        found = company.house_styles.filter(language=language).values(*HOUSE_STYLE_FIELDS, "punctuation_spacing")
        row = found.first() if company.pk else None
    spacing = default_spacing(language)
    if not row:
        return HouseStyleData(spacing=spacing, protect_names=True)
    return HouseStyleData(
        **{name: row[name] for name in HOUSE_STYLE_FIELDS},
        spacing=row["punctuation_spacing"] or spacing,
        protect_names=True,
    )


@dataclass(frozen=True)
class ListingData:
    exchange: str
    ticker: str
    ticker_label: str
    isin: str
    market: str = ""  # empty in content frozen before markets: the identifiers are written as they were then
    identifier_format: str = ""


@dataclass(frozen=True)
class ReferenceData:
    position: int
    citation: str
    url: str = ""
    accessed_on: dt.date | None = None
    accessed_label: str = ""


@dataclass(frozen=True)
class BlockData:
    """A topic About or the company About: a title, sanitised HTML, and the references the block cites itself."""

    title: str
    body: str
    references: tuple[ReferenceData, ...] = ()


@dataclass(frozen=True)
class ProgramData:
    indication: str
    phase: int
    phase_label: str
    sponsor: str = ""


@dataclass(frozen=True)
class AssetData:
    """A pipeline asset with its sentence in the release's language (empty when it has none)."""

    kind: str
    name: str
    code: str = ""
    inn: str = ""
    sentence: str = ""
    programs: tuple[ProgramData, ...] = ()


@dataclass(frozen=True)
class DisclaimerData:
    kind: str
    title: str
    body: str


@dataclass(frozen=True)
class ContactData:
    kind: str
    kind_label: str
    name: str
    role: str = ""
    organisation: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class CorrectionData:
    headline: str
    url: str
    date: dt.datetime | None
    note: str = ""


@dataclass
class ReleaseContent:
    """What a release says; `to_json()` is the structured content a snapshot stores."""

    company: CompanyData
    language: str
    headline: str
    category: str = "non_regulated"
    subheadline: str = ""
    slug: str = ""
    place: str = ""
    publication_at: dt.datetime | None = None
    body: str = ""
    listings: list[ListingData] = field(default_factory=list)
    references: list[ReferenceData] = field(default_factory=list)
    topics: list[BlockData] = field(default_factory=list)
    company_about: BlockData | None = None
    assets: list[AssetData] = field(default_factory=list)
    disclaimers: list[DisclaimerData] = field(default_factory=list)
    mar_legend: DisclaimerData | None = None
    contacts: list[ContactData] = field(default_factory=list)
    corrects: CorrectionData | None = None
    url: str = ""
    pdf_url: str = ""
    style: HouseStyleData = field(default_factory=HouseStyleData)
    label: str = "press_release"  # above the headline (releases.models.ReleaseLabel)
    images: list[ImageData] = field(default_factory=list)
    media_kit_url: str = ""

    def to_json(self) -> dict:
        """A JSON-ready dict of the whole content, keys in a stable order: what a snapshot freezes."""
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_json(cls, data: dict) -> ReleaseContent:
        """The content back from what `to_json` froze, to be composed again exactly as it was.

        Raises ValueError when `data` is not a release's frozen content.
        """
        try:
            return _build(cls, data)
        except (TypeError, AttributeError, KeyError, ValueError) as error:
            raise ValueError(f"Not the frozen content of a release: {error}") from error


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


@functools.cache
def _fields_of(cls) -> dict[str, object]:
    """The type of each field of the dataclass `cls` (resolving them is the slow part of reading content back)."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _build(cls, data: dict):
    """An instance of the dataclass `cls` from its JSON: nested dataclasses, lists, dates and moments rebuilt."""
    fields = _fields_of(cls)
    return cls(**{name: _typed(fields[name], value) for name, value in data.items() if name in fields})


def _typed(hint, value):
    if value is None:
        return None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return _typed(next(a for a in args if a is not type(None)), value)
    if origin in (list, tuple):
        items = [_typed(args[0], v) for v in value]
        return tuple(items) if origin is tuple else items
    if dataclasses.is_dataclass(hint):
        return _build(hint, value)
    if hint is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if hint is dt.date:
        return dt.date.fromisoformat(value)
    return value


# -- building blocks shared by the two constructors ---------------------------------------------


def _phase_label(phase: int, language: str) -> str:
    from releases.models import Phase

    with translation.override(language):
        return str(Phase(phase).label)


def listings_of(company) -> list[ListingData]:
    from releases.models import guess_market

    return [
        ListingData(
            lst.exchange,
            lst.ticker,
            lst.ticker_label,
            lst.isin,
            market=lst.market or guess_market(lst.exchange),
            identifier_format=lst.identifier_format,
        )
        for lst in company.listings.all()
    ]


def references_of_blocks(blocks) -> dict[int, tuple[ReferenceData, ...]]:
    """The own references of each block, by block id, in their order: one query for all of them."""
    from releases.models import BlockReference

    found: dict[int, list[ReferenceData]] = {}
    ids = [b.pk for b in blocks if b is not None and b.pk]
    if ids:
        for r in BlockReference.objects.filter(block_id__in=ids).order_by("position"):
            found.setdefault(r.block_id, []).append(
                ReferenceData(r.position, r.citation, r.url, r.accessed_on, r.accessed_label)
            )
    return {pk: tuple(refs) for pk, refs in found.items()}


def block_data(block, references: dict | None = None, *, sanitise: bool = False) -> BlockData:
    """A block with its own references, in their order."""
    from releases.sanitize import sanitize_html

    own = (references if references is not None else references_of_blocks([block])).get(block.pk, ())
    return BlockData(block.title, sanitize_html(block.body) if sanitise else block.body, own)


def assets_of(company, language: str) -> list[AssetData]:
    """Active, unarchived candidates and platforms in display order, each with its sentence in `language`."""
    from releases.models import AssetSentence, PipelineAsset, Program

    assets = (
        PipelineAsset.objects.filter(company=company, active=True, archived=False)
        .order_by("display_order", "id")
        .prefetch_related(
            Prefetch("programs", queryset=Program.objects.order_by("position", "id")),
            Prefetch("sentences", queryset=AssetSentence.objects.filter(language=language), to_attr="own_sentences"),
        )
    )
    return [
        AssetData(
            kind=a.kind,
            name=a.name,
            code=a.code,
            inn=a.inn,
            sentence=a.own_sentences[0].text if a.own_sentences else "",
            programs=tuple(
                ProgramData(p.in_language("indication", language), p.phase, _phase_label(p.phase, language), p.sponsor)
                for p in a.programs.all()
            ),
        )
        for a in assets
    ]


def mar_legend_for(company, language: str) -> DisclaimerData | None:
    """The company's own inside-information legend in `language`, else a shared one."""
    from releases.models import Disclaimer

    candidates = Disclaimer.objects.filter(kind=Disclaimer.Kind.INSIDE_INFORMATION, language=language, archived=False)
    own = list(candidates.filter(company=company).order_by("id")[:1])
    chosen = own[0] if own else candidates.filter(company__isnull=True).order_by("id").first()
    return DisclaimerData(chosen.kind, chosen.title, chosen.body) if chosen else None


def _contact(contact, language: str) -> ContactData:
    with translation.override(language):
        kind_label = str(contact.get_kind_display())
    return ContactData(
        kind=contact.kind,
        kind_label=kind_label,
        name=contact.name,
        role=contact.role_in(language),
        organisation=contact.organisation,
        email=contact.email,
        phone=contact.phone,
    )


def content_from_release(release) -> ReleaseContent:
    """Read a saved release and its parts in a small, constant number of queries."""
    from releases.models import Release, ReleaseContact, ReleaseDisclaimer, ReleaseTopic

    release = (
        Release.objects.select_related("company", "company_about", "corrects")
        .annotate(house_style_row=house_style_query())
        .prefetch_related(
            "company__listings",
            "references",
            Prefetch("topic_links", ReleaseTopic.objects.select_related("block")),
            Prefetch("disclaimer_links", ReleaseDisclaimer.objects.select_related("disclaimer")),
            Prefetch("contact_links", ReleaseContact.objects.select_related("contact")),
            "images",
        )
        .get(pk=release.pk)
    )
    language = release.language
    company = release.company
    corrects = None
    if release.corrects_id:
        earlier = release.corrects
        corrects = CorrectionData(
            headline=earlier.headline,
            url=earlier.get_absolute_url(),
            date=earlier.publication_at,
            note=release.correction_note,
        )
    about = release.company_about
    style = house_style_of(company, language, release.house_style_row)
    topic_blocks = [link.block for link in release.topic_links.all()]
    own_references = references_of_blocks([*topic_blocks, about])
    return ReleaseContent(
        company=company_data(company, language, style),
        language=language,
        category=release.category,
        headline=release.headline,
        subheadline=release.subheadline,
        slug=release.slug,
        place=release.place,
        publication_at=release.publication_at,
        body=release.body,
        listings=listings_of(company),
        references=[
            ReferenceData(r.position, r.citation, r.url, r.accessed_on, r.accessed_label)
            for r in sorted(release.references.all(), key=lambda r: r.position)
        ],
        topics=[block_data(block, own_references) for block in topic_blocks],
        company_about=block_data(about, own_references) if about else None,
        assets=assets_of(company, language) if about else [],
        disclaimers=[
            DisclaimerData(link.disclaimer.kind, link.disclaimer.title, link.disclaimer.body)
            for link in release.disclaimer_links.all()
        ],
        mar_legend=mar_legend_for(company, language)
        if release.category == Release.Category.INSIDE_INFORMATION
        else None,
        contacts=[_contact(link.contact, language) for link in release.contact_links.all()],
        corrects=corrects,
        url=release.get_absolute_url(),
        pdf_url=release.get_pdf_url(),
        style=style,
        label=release.printed_label,
        **_images_of(release.images.all(), release),
    )


def _images_of(release_images, release) -> dict:
    """The release's images frozen under their hashes, and where their originals are offered together."""
    images = [freeze_release_image(image) for image in release_images]
    if not images:
        return {"images": []}
    has_address = release is not None and release.pk is not None
    return {"images": images, "media_kit_url": release.get_media_kit_url() if has_address else ""}


def content_from_data(
    *,
    company,
    language: str,
    headline: str,
    category: str = "non_regulated",
    subheadline: str = "",
    slug: str = "",
    place: str = "",
    publication_at: dt.datetime | None = None,
    body: str = "",
    references: Iterable[dict | ReferenceData] = (),
    topic_blocks: Iterable = (),
    company_about=None,
    disclaimers: Iterable = (),
    contacts: Iterable = (),
    corrects=None,
    correction_note: str = "",
    label: str = "",
    images: Iterable = (),
    release=None,
) -> ReleaseContent:
    """Content of an unsaved release (admin preview, API): blocks, disclaimers, contacts as model instances.

    `images` are saved ReleaseImages (their alternative text and caption possibly changed on the form) of
    `release`, the saved release the form edits.

    Rich text is sanitised here too, because unsaved data has not been through the model field's save.
    """
    from releases.models import Release
    from releases.sanitize import sanitize_html

    refs = []
    for ref in references:
        if isinstance(ref, ReferenceData):
            refs.append(ref)
        else:
            refs.append(
                ReferenceData(
                    int(ref["position"]),
                    ref.get("citation", ""),
                    ref.get("url", "") or "",
                    ref.get("accessed_on"),
                    ref.get("accessed_label", "") or "",
                )
            )
    refs.sort(key=lambda r: r.position)
    correction = None
    if corrects is not None:
        correction = CorrectionData(
            corrects.headline, corrects.get_absolute_url(), corrects.publication_at, correction_note
        )
    from releases.models import label_for

    style = house_style_of(company, language)
    topic_blocks = list(topic_blocks)
    own_references = references_of_blocks([*topic_blocks, company_about])
    return ReleaseContent(
        company=company_data(company, language, style),
        language=language,
        category=category,
        headline=headline,
        subheadline=subheadline,
        slug=slug,
        place=place,
        publication_at=publication_at,
        body=sanitize_html(body),
        listings=listings_of(company),
        references=refs,
        topics=[block_data(b, own_references, sanitise=True) for b in topic_blocks],
        company_about=block_data(company_about, own_references, sanitise=True) if company_about else None,
        assets=assets_of(company, language) if company_about else [],
        disclaimers=[DisclaimerData(d.kind, d.title, sanitize_html(d.body)) for d in disclaimers],
        mar_legend=mar_legend_for(company, language) if category == Release.Category.INSIDE_INFORMATION else None,
        contacts=[_contact(c, language) for c in contacts],
        corrects=correction,
        style=style,
        label=label_for(company.labels, category, label),
        **_images_of(images, release),
    )
