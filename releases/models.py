"""What a press release is made of: the company, its pipeline, its reusable blocks, the release.

Models hold fields, constraints, validation and small properties. Every change of a release's
state happens in `releases.services`; the public side reads through `Release.objects.published()`.
"""

import datetime as dt
import hashlib
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from simple_history.models import HistoricalRecords

from .fields import RichTextField
from .placeholders import (
    ABOUT_PLACEHOLDERS,
    ASSET_PLACEHOLDERS,
    COMPANY_PLACEHOLDERS,
    FILING_PLACEHOLDERS,
    validate_placeholders,
)
from .querysets import ReleaseQuerySet
from .validators import logo_upload_path, release_image_upload_path, validate_image_upload


def content_language_choices() -> list[tuple[str, str]]:
    """The languages a release, a block or a sentence may be written in: settings.CONTENT_LANGUAGES.

    A callable, so migrations name it instead of freezing one installation's list.
    """
    names = dict(settings.LANGUAGES)
    return [(code, names[code]) for code in settings.CONTENT_LANGUAGES]


def site_language_choices() -> list[tuple[str, str]]:
    """Every language the site has an address prefix for (settings.LANGUAGES)."""
    return list(settings.LANGUAGES)


LANGUAGE_CHOICES = content_language_choices()


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a time zone name such as Europe/Paris."), params={"value": value})


def validate_isin(value: str) -> None:
    """An ISIN is 12 characters whose last digit is the Luhn check of the rest."""
    if len(value) != 12 or not value[:2].isalpha() or not value.isalnum():
        raise ValidationError(_("An ISIN has 12 letters and digits, starting with a country code."))
    digits = "".join(str(int(c, 36)) for c in value[:-1].upper())
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n // 10 + n % 10
    if (10 - total % 10) % 10 != int(value[-1]):
        raise ValidationError(_("The ISIN %(isin)s fails its check digit."), params={"isin": value})


# A release's moment lies within the span a newsroom archive can hold and a time zone can convert.
EARLIEST_MOMENT = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)
LATEST_MOMENT = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def validate_publication_moment(value) -> None:
    if value is not None and not (EARLIEST_MOMENT <= value < LATEST_MOMENT):
        raise ValidationError(
            _("Choose a publication moment between 1990 and 2099 (this one is %(year)s)."),
            params={"year": value.year},
            code="moment_out_of_range",
        )


lei_validator = RegexValidator(
    r"^[A-Z0-9]{18}[0-9]{2}$", _("An LEI has 20 characters: 18 letters or digits and 2 digits.")
)


def translations_validator(*names: str):
    """Validate a `translations` value: {language: {field: text}} with configured languages and known fields."""

    def validate(value) -> None:
        languages = set(settings.CONTENT_LANGUAGES)
        if not isinstance(value, dict):
            raise ValidationError(
                _('Give the texts per language, e.g. {"fr": {"%(field)s": "…"}}.'), params={"field": names[0]}
            )
        for language, texts in value.items():
            if language not in languages:
                raise ValidationError(
                    _("“%(language)s” is not a content language. Use one of: %(allowed)s."),
                    params={"language": language, "allowed": ", ".join(settings.CONTENT_LANGUAGES)},
                )
            if not isinstance(texts, dict) or set(texts) - set(names):
                raise ValidationError(
                    _("Per language, give only these fields: %(allowed)s."), params={"allowed": ", ".join(names)}
                )
            if not all(isinstance(text, str) and len(text) <= 300 for text in texts.values()):
                raise ValidationError(_("Each text is at most 300 characters."))

    return validate


class Translated(models.Model):
    """Texts that a release prints in its own language: the field itself, or its version in `translations`."""

    TRANSLATED_FIELDS: tuple[str, ...] = ()
    translations = models.JSONField(
        _("in other languages"),
        default=dict,
        blank=True,
        help_text=_("The same texts as other languages write them; empty: the text above is used."),
    )

    class Meta:
        abstract = True

    def in_language(self, name: str, language: str) -> str:
        """`name` as `language` writes it: its translation when one is given, else the field."""
        return (self.translations or {}).get(language, {}).get(name, "") or getattr(self, name)

    def clean(self) -> None:
        super().clean()
        try:
            translations_validator(*self.TRANSLATED_FIELDS)(self.translations)
        except ValidationError as error:
            raise ValidationError({"translations": error}) from None


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class ReleaseLabel(models.TextChoices):
    """What a release says it is, above its headline; MAR and the Transparency Directive name the last two."""

    PRESS_RELEASE = "press_release", _("Press release")
    COMPANY_ANNOUNCEMENT = "company_announcement", _("Company announcement")
    INSIDE_INFORMATION = "inside_information", _("Inside information")
    REGULATED_INFORMATION = "regulated_information", _("Regulated information")


def default_labels() -> list[str]:
    return [ReleaseLabel.PRESS_RELEASE]


def validate_labels(value) -> None:
    allowed = ReleaseLabel.values
    if (
        not isinstance(value, list)
        or not value
        or not all(v in allowed for v in value)
        or len(set(value)) != len(value)
    ):
        raise ValidationError(
            _("List one or more labels, each once, from: %(allowed)s."), params={"allowed": ", ".join(allowed)}
        )


LABEL_OF_CATEGORY = {
    "inside_information": ReleaseLabel.INSIDE_INFORMATION,
    "regulated": ReleaseLabel.REGULATED_INFORMATION,
}


def label_for(labels: list[str] | None, category: str, chosen: str = "") -> str:
    """The label a release prints: the one chosen, else its category's when the company uses it, else the usual one."""
    labels = labels or default_labels()
    if chosen:
        return chosen
    by_category = LABEL_OF_CATEGORY.get(category)
    return by_category if by_category in labels else labels[0]


class Company(Translated, TimeStamped):
    TRANSLATED_FIELDS = ("city", "country")

    legal_name = models.CharField(
        _("legal name"), max_length=200, help_text=_("As in filings, e.g. OSE Immunotherapeutics SA.")
    )
    short_name = models.CharField(_("short name"), max_length=100, help_text=_("As written in running text."))
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    lei = models.CharField(_("LEI"), max_length=20, blank=True, validators=[lei_validator])
    website = models.URLField(_("website"), blank=True)
    city = models.CharField(_("headquarters city"), max_length=100)
    country = models.CharField(_("headquarters country"), max_length=100)
    labels = models.JSONField(
        _("labels above the headline"),
        default=default_labels,
        validators=[validate_labels],
        help_text=_(
            "The labels a release of the company may carry, the usual one first: press_release, "
            "company_announcement, inside_information, regulated_information."
        ),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone])
    logo = models.ImageField(
        _("logo"),
        upload_to=logo_upload_path,
        blank=True,
        validators=[validate_image_upload],
        help_text=_("PNG, JPEG or WebP, up to 10 MB."),
    )
    twitter_url = models.URLField(_("X / Twitter page"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn page"), blank=True)
    regulator = models.CharField(_("regulator"), max_length=50, blank=True, help_text=_("e.g. AMF"))
    registration_document_filed_on = models.DateField(_("registration document filed on"), null=True, blank=True)
    registration_document_fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year of the registration document"), null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def city_in(self, language: str) -> str:
        """The city as `language` writes it: its translation when the company gave one, else the city."""
        return self.in_language("city", language)

    def country_in(self, language: str) -> str:
        return self.in_language("country", language)

    def placeholder_values(self, language: str, *, date_style: str = "") -> dict[str, str]:
        """The values that disclaimers and blocks fill in, written the way `language` (and its house style) writes them.

        Filings are keyed by kind: "filing_date:10-K" fills {filing_date:10-K}; the latest of a kind wins.
        """
        from .rendering.dates import format_date_as

        filed = ""
        if self.registration_document_filed_on:
            filed = format_date_as(self.registration_document_filed_on, language, date_style)
        values = {
            "company": self.short_name,
            "company_legal_name": self.legal_name,
            "website": self.website.removeprefix("https://").removeprefix("http://").rstrip("/"),
            "regulator": self.regulator,
            "registration_document_date": filed,
            "fiscal_year": str(self.registration_document_fiscal_year or ""),
            "city": self.city_in(language),
        }
        regulators = [self.regulator] if self.regulator else []
        if self.pk:
            for filing in sorted(self.filings.all(), key=lambda f: (f.filed_on, f.pk)):
                kind = filing.kind
                with translation.override(language):
                    title = filing.in_language("title", language) or str(filing.get_kind_display())
                values[f"filing:{kind}"] = title
                values[f"filing_date:{kind}"] = format_date_as(filing.filed_on, language, date_style)
                values[f"filing_year:{kind}"] = str(filing.fiscal_year or "")
                values[f"filing_regulator:{kind}"] = filing.regulator
                if filing.regulator not in regulators:
                    regulators.append(filing.regulator)
        with translation.override(language):
            joiner = " " + pgettext("between two names", "and") + " "
        values["regulators"] = (
            ", ".join(regulators[:-1]) + joiner + regulators[-1]
            if len(regulators) > 1
            else (regulators[0] if regulators else "")
        )
        return values


class Listing(models.Model):
    """A listed security of the company: many companies are listed on two markets."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="listings", verbose_name=_("company"))

    class Market(models.TextChoices):
        """Market families: each writes its identifier its own way ("Mnemo: OSE", "Nasdaq: XXXX", "AIM: XXXX")."""

        EURONEXT = "euronext", _("Euronext (regulated market or Growth)")
        NASDAQ_US = "nasdaq_us", _("Nasdaq (US)")
        NYSE = "nyse", _("NYSE")
        LSE = "lse", _("London Stock Exchange, Main Market")
        AIM = "aim", _("AIM (London)")
        SIX = "six", _("SIX Swiss Exchange")
        XETRA = "xetra", _("Xetra / Frankfurt")
        NASDAQ_NORDIC = "nasdaq_nordic", _("Nasdaq Nordic (Helsinki, Stockholm, Copenhagen) or First North")
        OTHER = "other", _("Other")

    exchange = models.CharField(_("exchange"), max_length=100, help_text=_("e.g. Euronext Paris"))
    market = models.CharField(
        _("market"),
        max_length=20,
        choices=Market.choices,
        blank=True,
        help_text=_("Leave empty to have it read from the exchange's name."),
    )
    ticker = models.CharField(_("ticker or mnemonic"), max_length=20)
    ticker_label = models.CharField(
        _("label of the ticker"),
        max_length=20,
        blank=True,
        help_text=_("Leave empty for the market's own (Mnemo on Euronext, “Nasdaq: XXXX” on Nasdaq)."),
    )
    isin = models.CharField(_("ISIN"), max_length=12, blank=True, validators=[validate_isin])
    identifier_format = models.CharField(
        _("identifier as printed"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty for the market's form. Placeholders: {exchange}, {ticker}, {label}, {isin}."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "exchange", "ticker"], name="unique_listing_per_exchange")
        ]

    def __str__(self) -> str:
        return f"{self.exchange}: {self.ticker}" + (f" ({self.isin})" if self.isin else "")

    def clean(self) -> None:
        if not self.market:
            self.market = guess_market(self.exchange)
        if self.identifier_format:
            try:
                validate_placeholders(self.identifier_format, {"exchange", "ticker", "label", "isin"})
            except ValidationError as error:
                raise ValidationError({"identifier_format": error}) from None


def guess_market(exchange: str) -> str:
    """The market family an exchange's name tells: 'Euronext Growth Paris' → euronext."""
    name = (exchange or "").lower()
    for needle, market in (
        ("euronext", Listing.Market.EURONEXT),
        ("alternext", Listing.Market.EURONEXT),
        ("first north", Listing.Market.NASDAQ_NORDIC),
        ("helsinki", Listing.Market.NASDAQ_NORDIC),
        ("stockholm", Listing.Market.NASDAQ_NORDIC),
        ("copenhagen", Listing.Market.NASDAQ_NORDIC),
        ("nordic", Listing.Market.NASDAQ_NORDIC),
        ("nasdaq", Listing.Market.NASDAQ_US),
        ("nyse", Listing.Market.NYSE),
        ("new york", Listing.Market.NYSE),
        ("aim", Listing.Market.AIM),
        ("london", Listing.Market.LSE),
        ("lse", Listing.Market.LSE),
        ("six", Listing.Market.SIX),
        ("swiss", Listing.Market.SIX),
        ("xetra", Listing.Market.XETRA),
        ("frankfurt", Listing.Market.XETRA),
    ):
        if needle in name:
            return market
    return Listing.Market.OTHER


class Filing(Translated):
    """A dated filing with a regulator (registration document, annual report, 10-K, 20-F …), named in disclaimers.

    A disclaimer writes {filing:10-K} for its title, {filing_date:10-K}, {filing_year:10-K} and
    {filing_regulator:10-K}; the latest filing of that kind is the one printed.
    """

    TRANSLATED_FIELDS = ("title",)

    class Kind(models.TextChoices):
        REGISTRATION_DOCUMENT = "registration_document", _("Registration document")
        ANNUAL_REPORT = "annual_report", _("Annual report")
        HALF_YEAR_REPORT = "half_year_report", _("Half-year report")
        FORM_10K = "10-K", _("Form 10-K")
        FORM_20F = "20-F", _("Form 20-F")
        FORM_10Q = "10-Q", _("Form 10-Q")
        PROSPECTUS = "prospectus", _("Prospectus")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="filings", verbose_name=_("company"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    regulator = models.CharField(_("regulator"), max_length=50, help_text=_("e.g. AMF, SEC, FCA, Finanssivalvonta"))
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("As disclaimers name it, e.g. Annual Report on Form 20-F.")
    )
    filed_on = models.DateField(_("filed on"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["company", "-filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.regulator}, {self.filed_on:%Y-%m-%d})"


class HouseStyle(models.Model):
    """How the company writes its dateline in one language; a language without one uses the language's defaults.

    Frozen with a release's content at approval: changing the style later leaves published releases as they were.
    """

    class DateStyle(models.TextChoices):
        LANGUAGE = "", _("The language's long date (July 1, 2024 · 1er juillet 2024 · 1. Juli 2024)")
        MONTH_DAY_YEAR = "mdy", _("Month day, year (March 2, 2020)")
        DAY_MONTH_YEAR = "dmy", _("Day month year (2 March 2020)")
        NUMERIC = "numeric", _("The language's numeric date (2.3.2020 · 02.03.2020)")
        ISO = "iso", _("ISO (2020-03-02)")

    class TimeStyle(models.TextChoices):
        LANGUAGE = "", _("The language's usual form (7:30 am · 7h30 · 07:30 · 7.30)")
        H12_COLON_LOWER = "h:mm a", _("9:00 am")
        H12_COLON_UPPER = "h:mm A", _("9:00 AM")
        H12_DOT_LOWER = "h.mm a", _("9.00 am")
        H12_DOT_UPPER = "h.mm A", _("9.00 AM")
        H24_COLON = "H:mm", _("9:00 (24-hour)")
        H24_COLON_PADDED = "HH:mm", _("09:00 (24-hour)")
        H24_DOT = "H.mm", _("9.00 (24-hour)")
        H24_H = "H'h'mm", _("9h00 (24-hour)")

    class ZoneStyle(models.TextChoices):
        ABBREVIATION = "abbreviation", _("The abbreviation true on that date (CEST, EET, EDT)")
        GENERIC = "generic", _("The generic abbreviation (CET, EET, ET)")
        CITY = "city", _("A named city time (Helsinki time)")
        NONE = "none", _("No time zone")

    class Pattern(models.TextChoices):
        LANGUAGE = (
            "",
            _("The language's own (Nantes, France – July 1, 2024 – 7:30 am CEST – · Nantes, le 1er juillet …)"),
        )
        DASHES = "dashes", _("Place – date – time – (French without “le”)")
        COMMA = "comma", _("Place, date – time –")
        AT = "at", _("Place, date at time – (2 March 2020 at 9.00 AM EET)")
        WIRE = "wire", _("Wire: Place, date -- time -- (March 10, 2025 -- 8:00 AM ET)")

    class Spacing(models.TextChoices):
        LANGUAGE = "", _("The language's rule (French: narrow no-break spaces before : ; ! ? » and after «)")
        NARROW = "narrow", _("Narrow no-break spaces before : ; ! ? » and after «")
        NONE = "none", _("As typed")

    company = models.ForeignKey(
        "Company", on_delete=models.CASCADE, related_name="house_styles", verbose_name=_("company")
    )
    language = models.CharField(_("language"), max_length=5, choices=content_language_choices)
    place = models.CharField(
        _("dateline place"),
        max_length=200,
        blank=True,
        help_text=_("As the dateline writes it, e.g. “Cambridge, Mass.” or “Paris and Boston”; empty: city, country."),
    )
    pattern = models.CharField(_("dateline"), max_length=10, choices=Pattern.choices, blank=True)
    date_style = models.CharField(_("date"), max_length=10, choices=DateStyle.choices, blank=True)
    time_style = models.CharField(_("time"), max_length=10, choices=TimeStyle.choices, blank=True)
    zone_style = models.CharField(
        _("time zone"), max_length=15, choices=ZoneStyle.choices, default=ZoneStyle.ABBREVIATION
    )
    zone_in_parentheses = models.BooleanField(_("time zone in parentheses"), default=False)
    punctuation_spacing = models.CharField(_("punctuation spacing"), max_length=10, choices=Spacing.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("house style")
        verbose_name_plural = _("house styles")
        ordering = ["company", "language"]
        constraints = [models.UniqueConstraint(fields=["company", "language"], name="one_house_style_per_language")]

    def __str__(self) -> str:
        return f"{self.company} [{self.language}]"


class Contact(Translated, TimeStamped):
    TRANSLATED_FIELDS = ("role",)

    class Kind(models.TextChoices):
        MEDIA = "media", _("Media")
        INVESTORS = "investors", _("Investors")
        NOMINATED_ADVISER = "nominated_adviser", _("Nominated Adviser")
        CERTIFIED_ADVISER = "certified_adviser", _("Certified Adviser")
        OTHER = "other", _("Other")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("company"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEDIA)
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True, help_text=_("e.g. the agency"))
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    private_notes = models.TextField(_("private notes"), blank=True, help_text=_("Never published."))
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["company", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def role_in(self, language: str) -> str:
        """The role as `language` writes it: its translation when given, else the role."""
        return self.in_language("role", language)


class Phase(models.IntegerChoices):
    """Development phases in their order: a later phase compares greater."""

    PRECLINICAL = 0, _("preclinical")
    PHASE_1 = 10, _("Phase 1")
    PHASE_1A = 11, _("Phase 1a")
    PHASE_1B = 12, _("Phase 1b")
    PHASE_1_2 = 15, _("Phase 1/2")
    PHASE_2 = 20, _("Phase 2")
    PHASE_2A = 21, _("Phase 2a")
    PHASE_2B = 22, _("Phase 2b")
    PHASE_2_3 = 25, _("Phase 2/3")
    PHASE_3 = 30, _("Phase 3")
    FILED = 40, _("filed")
    APPROVED = 50, _("approved")


class PipelineAsset(TimeStamped):
    """A drug candidate or a discovery platform of the company."""

    class Kind(models.TextChoices):
        CANDIDATE = "candidate", _("Drug candidate")
        PLATFORM = "platform", _("Platform")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="assets", verbose_name=_("company"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CANDIDATE)
    name = models.CharField(_("name"), max_length=200, help_text=_("With ® where registered, e.g. Tedopi®."))
    code = models.CharField(_("code"), max_length=50, blank=True, help_text=_("e.g. OSE-127"))
    inn = models.CharField(_("international non-proprietary name"), max_length=100, blank=True)
    modality = models.CharField(_("modality"), max_length=200, blank=True)
    mechanism = models.CharField(_("mechanism"), max_length=300, blank=True)
    partners = models.CharField(
        _("partners"), max_length=300, blank=True, help_text=_("Partner companies, comma-separated.")
    )
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)
    active = models.BooleanField(_("active"), default=True, help_text=_("Inactive assets leave the About section."))
    archived = models.BooleanField(_("archived"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pipeline asset")
        verbose_name_plural = _("pipeline assets")
        ordering = ["company", "kind", "display_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"], condition=~Q(code=""), name="unique_asset_code_per_company"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}" if self.code and self.code not in self.name else self.name


class Program(Translated):
    """An indication the asset is developed in, at a phase, under a sponsor."""

    TRANSLATED_FIELDS = ("indication",)

    asset = models.ForeignKey(PipelineAsset, on_delete=models.CASCADE, related_name="programs", verbose_name=_("asset"))
    indication = models.CharField(_("indication"), max_length=200)
    phase = models.PositiveSmallIntegerField(_("phase"), choices=Phase.choices, default=Phase.PRECLINICAL)
    sponsor = models.CharField(_("sponsor"), max_length=200, blank=True)
    status_note = models.CharField(
        _("status note"), max_length=300, blank=True, help_text=_("e.g. ongoing, positive results")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.asset.name}: {self.indication} ({self.get_phase_display()})"


class AssetSentence(models.Model):
    """The sentence the company About prints for an asset, in one language, with placeholders."""

    asset = models.ForeignKey(
        PipelineAsset, on_delete=models.CASCADE, related_name="sentences", verbose_name=_("asset")
    )
    language = models.CharField(_("language"), max_length=5, choices=content_language_choices)
    text = RichTextField(
        _("sentence"),
        help_text=_(
            "Placeholders: {name}, {code}, {inn}, {phase:1}, {indication:1}, {sponsor:1}"
            " (the number picks the program)."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pipeline sentence")
        verbose_name_plural = _("pipeline sentences")
        constraints = [models.UniqueConstraint(fields=["asset", "language"], name="unique_sentence_per_language")]

    def __str__(self) -> str:
        return f"{self.asset} [{self.language}]"

    def clean(self) -> None:
        try:
            validate_placeholders(self.text, set(ASSET_PLACEHOLDERS) | set(COMPANY_PLACEHOLDERS))
        except ValidationError as error:
            raise ValidationError({"text": error}) from None


class BoilerplateBlock(TimeStamped):
    """A reusable block: the company About, a topic About (a disease, a product, a trial), or other."""

    class Kind(models.TextChoices):
        COMPANY_ABOUT = "company_about", _("Company About")
        TOPIC_ABOUT = "topic_about", _("Topic About")
        OTHER = "other", _("Other")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("company"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TOPIC_ABOUT)
    language = models.CharField(_("language"), max_length=5, choices=content_language_choices, default="en")
    title = models.CharField(_("title"), max_length=300, help_text=_("e.g. About Acute Lymphoblastic Leukemia (ALL)"))
    body = RichTextField(
        _("text"),
        help_text=_(
            "In a company About, a paragraph holding only {pipeline} or {platforms} becomes the generated list."
        ),
    )
    archived = models.BooleanField(
        _("archived"), default=False, help_text=_("Archived blocks cannot be chosen for new releases.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("boilerplate block")
        verbose_name_plural = _("boilerplate blocks")
        ordering = ["company", "kind", "language", "title"]

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"

    def clean(self) -> None:
        allowed = set(COMPANY_PLACEHOLDERS)
        if self.kind == self.Kind.COMPANY_ABOUT:
            allowed |= set(ABOUT_PLACEHOLDERS)
        try:
            validate_placeholders(self.body, allowed)
        except ValidationError as error:
            raise ValidationError({"body": error}) from None


class BlockReference(models.Model):
    """A reference that belongs to a reusable block: the block cites it by its own number, wherever it is used.

    A release numbers the references of its blocks after its own, in the order they are first cited.
    """

    block = models.ForeignKey(
        BoilerplateBlock, on_delete=models.CASCADE, related_name="references", verbose_name=_("block")
    )
    position = models.PositiveSmallIntegerField(_("number"), help_text=_("Cited in the block's text as (number)."))
    citation = models.TextField(_("citation"))
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    accessed_on = models.DateField(_("accessed on"), null=True, blank=True)
    accessed_label = models.CharField(_("accessed (as written)"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reference of the block")
        verbose_name_plural = _("references of the block")
        ordering = ["block", "position"]
        constraints = [
            models.UniqueConstraint(fields=["block", "position"], name="unique_block_reference_number"),
            models.CheckConstraint(condition=Q(position__gte=1), name="block_reference_number_from_one"),
        ]

    def __str__(self) -> str:
        return f"({self.position}) {self.citation[:60]}"


class Disclaimer(TimeStamped):
    """A reusable legal text with the company's values filled into its placeholders."""

    class Kind(models.TextChoices):
        FORWARD_LOOKING = "forward_looking", _("Forward-looking statements")
        INSIDE_INFORMATION = "inside_information", _("Inside information (MAR legend)")
        OTHER = "other", _("Other")

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="disclaimers",
        verbose_name=_("company"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a text every company may use."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    language = models.CharField(_("language"), max_length=5, choices=content_language_choices, default="en")
    title = models.CharField(_("title"), max_length=200)
    body = RichTextField(
        _("text"),
        help_text=_("Placeholders: {company}, {regulator}, {registration_document_date}, {fiscal_year}, {website}…"),
    )
    archived = models.BooleanField(_("archived"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disclaimer")
        verbose_name_plural = _("disclaimers")
        ordering = ["kind", "language", "title"]

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"

    def clean(self) -> None:
        try:
            validate_placeholders(
                self.body, set(COMPANY_PLACEHOLDERS) | set(FILING_PLACEHOLDERS), filing_kinds=Filing.Kind.values
            )
        except ValidationError as error:
            raise ValidationError({"body": error}) from None


class Release(TimeStamped):
    """A press release: one revision, in one language, of one company's announcement."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        CORRECTED = "corrected", _("Corrected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Category(models.TextChoices):
        INSIDE_INFORMATION = "inside_information", _("Inside information")
        REGULATED = "regulated", _("Other regulated information")
        NON_REGULATED = "non_regulated", _("Non-regulated information")

    # States whose content is frozen in a snapshot and may not be edited.
    FROZEN_STATUSES = (Status.APPROVED, Status.PUBLISHED, Status.CORRECTED, Status.WITHDRAWN)
    # States a release reaches only by being published; visible once its moment has come.
    RELEASED_STATUSES = (Status.PUBLISHED, Status.CORRECTED, Status.WITHDRAWN)

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="releases", verbose_name=_("company"))
    language = models.CharField(_("language"), max_length=5, choices=content_language_choices, default="en")
    translation_group = models.UUIDField(
        _("translation group"),
        default=uuid.uuid4,
        db_index=True,
        help_text=_("Versions of one release in other languages share it."),
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices, default=Category.NON_REGULATED)
    label = models.CharField(
        _("label above the headline"),
        max_length=30,
        choices=ReleaseLabel.choices,
        blank=True,
        help_text=_(
            "One of the company's labels; empty: the one its category calls for, else the company's usual one."
        ),
    )
    headline = models.CharField(_("headline"), max_length=300)
    subheadline = models.CharField(_("subheadline"), max_length=500, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=False)
    place = models.CharField(
        _("dateline place"), max_length=200, blank=True, help_text=_("Leave empty for the company's city, country.")
    )
    publication_at = models.DateTimeField(
        _("publication moment"),
        null=True,
        blank=True,
        db_index=True,
        validators=[validate_publication_moment],
        help_text=_("Stored in UTC; shown in the company's time zone."),
    )
    body = RichTextField(_("body"), blank=True)
    company_about = models.ForeignKey(
        BoilerplateBlock,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"kind": BoilerplateBlock.Kind.COMPANY_ABOUT},
        verbose_name=_("company About"),
    )
    topic_abouts = models.ManyToManyField(
        BoilerplateBlock,
        through="ReleaseTopic",
        related_name="topic_releases",
        blank=True,
        verbose_name=_("topic Abouts"),
    )
    disclaimers = models.ManyToManyField(
        Disclaimer, through="ReleaseDisclaimer", related_name="releases", blank=True, verbose_name=_("disclaimers")
    )
    contacts = models.ManyToManyField(
        Contact, through="ReleaseContact", related_name="releases", blank=True, verbose_name=_("contacts")
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised on every save; a stale save is refused.")
    )
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("corrects"),
    )
    correction_note = models.TextField(_("correction note"), blank=True)
    withdrawal_notice = models.TextField(_("withdrawal notice"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["version"])
    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-publication_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="unique_slug_per_language"),
            models.UniqueConstraint(
                fields=["translation_group", "language"],
                name="one_version_per_language",
                condition=Q(corrects__isnull=True),
            ),
            models.CheckConstraint(condition=~Q(headline=""), name="release_headline_required"),
            models.CheckConstraint(condition=~Q(slug=""), name="release_slug_required"),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "published", "corrected", "withdrawn"])
                | Q(publication_at__isnull=False),
                name="frozen_release_has_moment",
            ),
        ]
        indexes = [models.Index(fields=["status", "publication_at"], name="release_visibility_idx")]
        permissions = [
            ("submit_release", _("Can submit a release for review")),
            ("review_release", _("Can approve a release or return it")),
            ("publish_release", _("Can schedule, publish, correct and withdraw a release")),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        """The release's public address, under its language's prefix (/fr/… for French)."""
        with translation.override(self.language):
            return reverse("newsroom:detail", kwargs={"slug": self.slug})

    def get_pdf_url(self) -> str:
        with translation.override(self.language):
            return reverse("newsroom:pdf", kwargs={"slug": self.slug})

    def get_media_kit_url(self) -> str:
        """The ZIP of the release's images as uploaded (its media kit)."""
        with translation.override(self.language):
            return reverse("newsroom:media-kit", kwargs={"slug": self.slug})

    @property
    def is_frozen(self) -> bool:
        return self.status in self.FROZEN_STATUSES

    @property
    def is_public(self) -> bool:
        """True when anyone may read it: released and its moment has come."""
        return (
            self.status in self.RELEASED_STATUSES
            and self.publication_at is not None
            and self.publication_at <= timezone.now()
        )

    def clean(self) -> None:
        super().clean()
        if self.label and self.company_id and self.label not in (self.company.labels or []):
            raise ValidationError(
                {
                    "label": _("%(company)s does not use this label. Use one of: %(allowed)s.")
                    % {"company": self.company, "allowed": ", ".join(self.company.labels)}
                }
            )

    @property
    def printed_label(self) -> str:
        """The label above the headline: the one chosen, else the one the category calls for, else the usual one."""
        return label_for(self.company.labels if self.company_id else None, self.category, self.label)

    @property
    def local_publication_at(self):
        return self.publication_at.astimezone(self.company.zone) if self.publication_at else None


class ReleaseTopic(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="topic_links")
    block = models.ForeignKey(
        BoilerplateBlock,
        on_delete=models.PROTECT,
        related_name="topic_links",
        limit_choices_to={"kind": BoilerplateBlock.Kind.TOPIC_ABOUT},
        verbose_name=_("topic About"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("topic About")
        verbose_name_plural = _("topic Abouts")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["release", "block"], name="unique_topic_per_release")]

    def __str__(self) -> str:
        return str(self.block)


class ReleaseDisclaimer(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="disclaimer_links")
    disclaimer = models.ForeignKey(
        Disclaimer, on_delete=models.PROTECT, related_name="release_links", verbose_name=_("disclaimer")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disclaimer")
        verbose_name_plural = _("disclaimers")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["release", "disclaimer"], name="unique_disclaimer_per_release")]

    def __str__(self) -> str:
        return str(self.disclaimer)


class ReleaseContact(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="contact_links")
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="release_links", verbose_name=_("contact")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["release", "contact"], name="unique_contact_per_release")]

    def __str__(self) -> str:
        return str(self.contact)


class Reference(models.Model):
    """A numbered reference of a release; its number is its place in the list, cited as "(n)"."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="references", verbose_name=_("release"))
    position = models.PositiveSmallIntegerField(_("number"), help_text=_("Cited in the text as (number)."))
    citation = models.TextField(_("citation"))
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    accessed_on = models.DateField(_("accessed on"), null=True, blank=True)
    accessed_label = models.CharField(
        _("accessed (as written)"),
        max_length=100,
        blank=True,
        help_text=_("e.g. October 2022, when no exact day is known."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        ordering = ["release", "position"]
        constraints = [
            models.UniqueConstraint(fields=["release", "position"], name="unique_reference_number"),
            models.CheckConstraint(condition=Q(position__gte=1), name="reference_number_from_one"),
        ]

    def __str__(self) -> str:
        return f"({self.position}) {self.citation[:60]}"


def release_image_path(instance: "ReleaseImage", filename: str) -> str:
    return release_image_upload_path(instance, filename)


class ReleaseImage(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="images", verbose_name=_("release"))
    image = models.ImageField(
        _("image"),
        upload_to=release_image_path,
        validators=[validate_image_upload],
        help_text=_("PNG, JPEG or WebP, up to 10 MB."),
    )
    alt_text = models.CharField(_("alternative text"), max_length=300)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.alt_text


class Snapshot(models.Model):
    """What approval froze: the exact bytes that go out, each with its SHA-256."""

    release = models.OneToOneField(Release, on_delete=models.CASCADE, related_name="snapshot")
    page_html = models.TextField()
    fragment_html = models.TextField()
    plain_text = models.TextField()
    content_json = models.JSONField()
    pdf = models.BinaryField()
    page_sha256 = models.CharField(max_length=64)
    pdf_sha256 = models.CharField(max_length=64)
    text_sha256 = models.CharField(max_length=64)
    fragment_sha256 = models.CharField(max_length=64)
    content_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    # What lists, feeds and file names print of the issuer, as approved (the company may change since).
    company_name = models.CharField(max_length=100, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    logo = models.CharField(max_length=200, blank=True)
    label = models.CharField(max_length=40, blank=True)  # the label it printed above the headline (feeds)

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")

    def __str__(self) -> str:
        return f"Snapshot of {self.release_id} ({self.pdf_sha256[:12]})"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def local(self, moment: dt.datetime) -> dt.datetime:
        """`moment` in the issuer's time zone as approved."""
        return moment.astimezone(self.zone)

    @staticmethod
    def sha256(data: str | bytes) -> str:
        return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


class WorkflowEvent(models.Model):
    """One step of a release's life; written by the services, never edited or deleted."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        EDITED = "edited", _("edited")
        SUBMITTED = "submitted", _("submitted for review")
        RETURNED = "returned", _("returned with a comment")
        APPROVED = "approved", _("approved")
        APPROVAL_DISCARDED = "approval_discarded", _("approval discarded by an edit")
        PUBLISHED = "published", _("scheduled for publication")
        CORRECTED = "corrected", _("corrected")
        WITHDRAWN = "withdrawn", _("withdrawn")
        UNSCHEDULED = "unscheduled", _("taken off the schedule")

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="events", verbose_name=_("release"))
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    details = models.JSONField(
        _("details"), default=dict, blank=True, help_text=_("e.g. the failed checks, the snapshot's hashes.")
    )

    class Meta:
        verbose_name = _("workflow event")
        verbose_name_plural = _("audit trail")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor} at {self.at:%Y-%m-%d %H:%M:%S}"


class CompanyAssignment(models.Model):
    """A member of staff works for this company (an agency writing for several issuers); see releases.scoping."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="company_assignments", verbose_name=_("user")
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("company")
    )

    class Meta:
        verbose_name = _("company assignment")
        verbose_name_plural = _("company assignments")
        constraints = [models.UniqueConstraint(fields=["user", "company"], name="one_assignment_per_company")]

    def __str__(self) -> str:
        return f"{self.user} → {self.company}"


class Composition(models.Model):
    """A composed release as someone reviewing it read it: content-addressed by its SHA-256.

    An approval names the digest its reviewer read; when the release has changed since, the stored
    composition says what changed. Written by `services.release_review`, never edited.
    """

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="compositions", verbose_name=_("release")
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    content_json = models.JSONField(_("content"))
    created_at = models.DateTimeField(_("first read at"), default=timezone.now)

    class Meta:
        verbose_name = _("composition read for review")
        verbose_name_plural = _("compositions read for review")
        constraints = [models.UniqueConstraint(fields=["release", "sha256"], name="one_composition_per_digest")]

    def __str__(self) -> str:
        return f"{self.release_id} v{self.version} ({self.sha256[:12]})"


class Reading(models.Model):
    """Someone read this composition for review (on the review screen, the release form or the API), last at `at`.

    The review screen compares what a reviewer reads now with the last composition they read or returned.
    """

    composition = models.ForeignKey(
        Composition, on_delete=models.CASCADE, related_name="readings", verbose_name=_("composition")
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("reader")
    )
    at = models.DateTimeField(_("last read at"), default=timezone.now)

    class Meta:
        verbose_name = _("reading for review")
        verbose_name_plural = _("readings for review")
        constraints = [models.UniqueConstraint(fields=["composition", "reader"], name="one_reading_per_reader")]
        indexes = [models.Index(fields=["reader", "at"], name="reading_reader_at")]

    def __str__(self) -> str:
        return f"{self.reader} read {self.composition} at {self.at:%Y-%m-%d %H:%M:%S}"


class ApiToken(models.Model):
    """A token for an integrator; only its SHA-256 is stored, the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What uses it, e.g. IR website."))
    prefix = models.CharField(_("prefix"), max_length=12, editable=False, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


# -- Distribution: email alerts to subscribers and signed webhooks (releases.distribution) ---------


def _comma_list(values) -> str:
    """Choices stored as ",a,b," so that one `__contains=",a,"` filter works on every database."""
    return "," + ",".join(sorted(set(values))) + "," if values else ""


class Subscriber(models.Model):
    """A reader who asked for email alerts and confirmed it by the link we sent; erased on request."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(_("email address"), unique=True)
    languages = models.CharField(_("languages"), max_length=100, help_text=_("The languages chosen, e.g. ,en,fr,"))
    categories = models.CharField(
        _("categories"), max_length=200, blank=True, help_text=_("The kinds chosen; empty for every release.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    consent_text = models.TextField(_("consent text"), help_text=_("The exact words the subscriber agreed to."))
    consent_language = models.CharField(_("consent language"), max_length=5, choices=site_language_choices)
    requested_at = models.DateTimeField(_("asked at"), help_text=_("When the form was sent."))
    confirmed_at = models.DateTimeField(_("confirmed at"), help_text=_("When the link in the confirmation was used."))
    confirm_ip = models.GenericIPAddressField(_("confirmed from"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-confirmed_at", "-id"]
        indexes = [models.Index(fields=["status", "confirmed_at"], name="subscriber_active_idx")]
        permissions = [
            ("export_subscriber", _("Can export a subscriber's personal data")),
            ("erase_subscriber", _("Can erase a subscriber's personal data")),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def category_list(self) -> list[str]:
        return [code for code in self.categories.split(",") if code]

    def set_choices(self, languages, categories) -> None:
        self.languages = _comma_list(languages)
        self.categories = _comma_list(categories)


class Dispatch(models.Model):
    """One sending of one release to subscribers: its recipients are fixed when it is created."""

    class Kind(models.TextChoices):
        RELEASE = "release", _("release")
        CORRECTION = "correction", _("correction")
        WITHDRAWAL = "withdrawal", _("withdrawal notice")

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="dispatches", verbose_name=_("release"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["release", "kind"], name="one_dispatch_per_release_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.release}"


class Delivery(models.Model):
    """One message to one subscriber; unique per (release, subscriber, kind), so nobody gets it twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("not sent")

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="deliveries")
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("release"))
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, related_name="deliveries", verbose_name=_("subscriber")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Dispatch.Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    error = models.TextField(_("reason"), blank=True)
    message_id = models.CharField(_("message ID"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["release", "subscriber", "kind"], name="one_delivery_per_subscriber")
        ]
        indexes = [models.Index(fields=["dispatch", "status", "next_attempt_at"], name="delivery_queue_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"


def webhook_secret() -> str:
    import base64
    import secrets

    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


class WebhookEndpoint(models.Model):
    """An integrator's URL that receives signed events (Standard Webhooks)."""

    class Event(models.TextChoices):
        PUBLISHED = "release.published", _("a release is published")
        CORRECTED = "release.corrected", _("a release is corrected")
        WITHDRAWN = "release.withdrawn", _("a release is withdrawn")

    TEST_EVENT = "webhook.test"

    url = models.URLField(_("URL"), max_length=500, help_text=_("An https:// address that accepts POST requests."))
    description = models.CharField(_("description"), max_length=200, blank=True, help_text=_("e.g. IR website."))
    secret = models.CharField(
        _("signing secret"),
        max_length=100,
        default=webhook_secret,
        help_text=_("Give it to the receiver so that it can check each signature (whsec_…)."),
    )
    events = models.JSONField(_("events"), default=list, help_text=_("The events sent to this address."))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["url", "id"]

    def __str__(self) -> str:
        return self.description or self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint: sent in order, retried with a growing wait for a day."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SUCCEEDED = "succeeded", _("delivered")
        FAILED = "failed", _("failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    release = models.ForeignKey(
        Release, on_delete=models.PROTECT, null=True, blank=True, related_name="webhook_deliveries"
    )
    event = models.CharField(_("event"), max_length=40)
    message_id = models.CharField(_("webhook-id"), max_length=64, unique=True)
    payload = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "release", "event"],
                condition=Q(release__isnull=False),
                name="one_webhook_per_release_event",
            )
        ]
        indexes = [models.Index(fields=["endpoint", "status", "id"], name="webhook_queue_idx")]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint} ({self.get_status_display()})"


class WebhookAttempt(models.Model):
    """One HTTP request of a webhook delivery, kept for the log."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(_("at"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    response_excerpt = models.TextField(_("response"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error[:40]}"
