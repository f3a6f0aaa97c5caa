"""What the API reads and writes. Writes apply the model's own rules: the rich-text sanitiser and
`full_clean()` (DRF calls neither by itself); release writes go through `releases.services`.

Two shapes of a release: `ReleaseSerializer` for staff, `PublicReleaseSerializer` for everyone else,
which never carries a draft's field, a contact's email, phone or private notes, or the history, and
reads a release's text and parts from the snapshot frozen at approval, never from the live rows.
"""

import copy
import datetime as dt
import logging
from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from releases import models
from releases.fields import RichTextField
from releases.rendering import ReleaseContent, compose
from releases.sanitize import sanitize_html

from .errors import django_error_to_dict

logger = logging.getLogger(__name__)


class RichTextSerializerField(serializers.CharField):
    """Rich HTML, cleaned to the editor's allow-list on the way in: what is returned is what is stored."""

    def to_internal_value(self, data):
        return sanitize_html(super().to_internal_value(data))


class StrictFieldsMixin:
    """Refuses a field it does not know with a 400 naming it, rather than dropping it silently.

    Fields the serializer knows but does not write (id, created_at …) are accepted and ignored, so a client
    may send back what it read.
    """

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                known = ", ".join(name for name, field in self.fields.items() if not field.read_only)
                raise serializers.ValidationError(
                    {
                        name: [_("Unknown field. The fields you can send here: %(known)s.") % {"known": known}]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)


class AllowedChoiceField(serializers.ChoiceField):
    """A choice whose refusal lists the allowed values, each with what it means."""

    def fail(self, key, **kwargs):
        if key == "invalid_choice":
            allowed = ", ".join(
                f"{value} ({label})" if str(value) != str(label) else str(value)
                for value, label in self.choices.items()
            )
            raise serializers.ValidationError(
                _("“%(input)s” is not one of the allowed values: %(allowed)s.")
                % {"input": kwargs.get("input"), "allowed": allowed},
                code="invalid_choice",
            )
        return super().fail(key, **kwargs)


MOMENT_HELP = (
    "ISO 8601. With an offset or Z (2025-03-02T09:00:00+02:00) it is that moment; without one "
    "(2025-03-02T09:00:00) it is read in the company's time zone, as the admin reads it. A local time that "
    "does not exist there or happens twice (a daylight-saving change) is refused: send an offset."
)


class MomentField(serializers.DateTimeField):
    """A moment: with an offset, that moment; without one, kept as local time for the company's zone."""

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            return value  # made aware by `in_zone` once the company is known
        return super().enforce_timezone(value)


def in_zone(value: dt.datetime | None, zone, field: str = "publication_at") -> dt.datetime | None:
    """A local time read in `zone`; refused when the zone skips it or has it twice (a daylight-saving change)."""
    if value is None or timezone.is_aware(value):
        return value
    aware = value.replace(tzinfo=zone)
    skipped = aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != value
    twice = aware.replace(fold=1).utcoffset() != aware.utcoffset()
    if skipped or twice:
        raise serializers.ValidationError(
            {
                field: [
                    _(
                        "%(moment)s does not exist in %(zone)s or happens twice there (a daylight-saving change). "
                        "Send the moment with its offset, e.g. %(example)s."
                    )
                    % {"moment": value.isoformat(), "zone": zone.key, "example": aware.isoformat()}
                ]
            }
        )
    return aware


def raise_as_drf(error: DjangoValidationError):
    raise serializers.ValidationError(django_error_to_dict(error)) from None


class CleanModelSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A ModelSerializer that sanitises rich text and runs the model's `full_clean()` before saving."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        RichTextField: RichTextSerializerField,
    }
    serializer_choice_field = AllowedChoiceField
    # Fields the serializer writes itself after the row exists (nested lists).
    nested_fields: tuple[str, ...] = ()
    full_clean_exclude: tuple[str, ...] = ()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = copy.copy(self.instance) if self.instance is not None else self.Meta.model()
        for name, value in attrs.items():
            if name not in self.nested_fields:
                setattr(instance, name, value)
        try:
            instance.full_clean(exclude=list(self.full_clean_exclude))
        except DjangoValidationError as error:
            raise_as_drf(error)
        return attrs


def _replace_children(manager, serializer_class, items, **parent):
    """Replace a parent's ordered children with `items`, numbering them in the given order."""
    manager.all().delete()
    for position, item in enumerate(items):
        serializer_class.Meta.model.objects.create(**parent, **item, **serializer_class.position_of(position))


class NestedItemSerializer(CleanModelSerializer):
    """A child row written with its parent; its parent key is set by the parent."""

    position_field = "position"

    @classmethod
    def position_of(cls, index: int) -> dict:
        return {cls.position_field: index} if cls.position_field else {}


# Companies ---------------------------------------------------------------------------------------


class ListingSerializer(NestedItemSerializer):
    full_clean_exclude = ("company", "position")

    class Meta:
        model = models.Listing
        fields = ["exchange", "market", "ticker", "ticker_label", "isin", "identifier_format"]
        validators = []
        extra_kwargs = {
            "market": {"help_text": "Read from the exchange's name when not given (Euronext Paris → euronext)."},
            "isin": {"help_text": "Optional; printed once when the listings share it."},
        }

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if not attrs.get("market"):
            attrs["market"] = models.guess_market(attrs.get("exchange", ""))
        return attrs


class FilingSerializer(NestedItemSerializer):
    position_field = None
    full_clean_exclude = ("company",)

    class Meta:
        model = models.Filing
        fields = ["kind", "regulator", "title", "translations", "filed_on", "fiscal_year"]


class HouseStyleSerializer(NestedItemSerializer):
    position_field = None
    full_clean_exclude = ("company",)

    class Meta:
        model = models.HouseStyle
        fields = [
            "language", "place", "pattern", "date_style", "time_style", "zone_style", "zone_in_parentheses",
            "punctuation_spacing",
        ]  # fmt: skip
        validators = []


class CompanySerializer(CleanModelSerializer):
    listings = ListingSerializer(many=True, required=False, help_text="Listed securities, in order; replaced on write.")
    filings = FilingSerializer(
        many=True,
        required=False,
        help_text="Dated filings named in disclaimers ({filing_date:10-K}); replaced on write.",
    )
    house_styles = HouseStyleSerializer(
        many=True, required=False, help_text="How the company writes its dateline, per language; replaced on write."
    )
    logo = serializers.ImageField(read_only=True, help_text="Uploaded in the admin.")
    nested_fields = ("listings", "filings", "house_styles")

    class Meta:
        model = models.Company
        fields = [
            "id", "legal_name", "short_name", "slug", "lei", "website", "city", "country", "translations", "labels",
            "time_zone", "logo", "twitter_url", "linkedin_url", "regulator", "registration_document_filed_on",
            "registration_document_fiscal_year", "listings", "filings", "house_styles", "created_at", "updated_at",
        ]  # fmt: skip

    def validate_listings(self, value):
        keys = [(item["exchange"], item["ticker"]) for item in value]
        if len(keys) != len(set(keys)):
            raise serializers.ValidationError(_("Each exchange and ticker may be listed once."))
        return value

    def validate_house_styles(self, value):
        languages = [item["language"] for item in value]
        if len(languages) != len(set(languages)):
            raise serializers.ValidationError(_("One house style per language."))
        return value

    CHILDREN = (("listings", ListingSerializer), ("filings", FilingSerializer), ("house_styles", HouseStyleSerializer))

    @transaction.atomic
    def create(self, validated_data):
        children = {name: validated_data.pop(name, []) for name, _serializer in self.CHILDREN}
        company = super().create(validated_data)
        for name, serializer in self.CHILDREN:
            _replace_children(getattr(company, name), serializer, children[name], company=company)
        return company

    @transaction.atomic
    def update(self, instance, validated_data):
        children = {name: validated_data.pop(name, None) for name, _serializer in self.CHILDREN}
        company = super().update(instance, validated_data)
        for name, serializer in self.CHILDREN:
            if children[name] is not None:
                _replace_children(getattr(company, name), serializer, children[name], company=company)
        return company


class CompanySummarySerializer(serializers.ModelSerializer):
    listings = ListingSerializer(many=True, read_only=True)

    class Meta:
        model = models.Company
        fields = ["id", "short_name", "legal_name", "slug", "website", "city", "country", "listings"]
        read_only_fields = fields


# Contacts ----------------------------------------------------------------------------------------


class ContactSerializer(CleanModelSerializer):
    """A contact card as staff see it, private notes included."""

    class Meta:
        model = models.Contact
        fields = [
            "id", "company", "kind", "name", "role", "translations", "organisation", "email", "phone",
            "private_notes", "active", "created_at", "updated_at",
        ]  # fmt: skip


class ReleaseContactSerializer(serializers.ModelSerializer):
    """A contact as a release shows it to staff: no private notes."""

    class Meta:
        model = models.Contact
        fields = ["id", "kind", "name", "role", "translations", "organisation", "email", "phone"]
        read_only_fields = fields


class PublicContactSerializer(serializers.Serializer):
    """A contact as the published release printed it: name and role, never email, phone or notes."""

    kind = serializers.ChoiceField(choices=models.Contact.Kind.choices, read_only=True)
    name = serializers.CharField(read_only=True)
    role = serializers.CharField(read_only=True, help_text="The role in the release's language.")
    organisation = serializers.CharField(read_only=True)


# Pipeline ----------------------------------------------------------------------------------------


class ProgramSerializer(NestedItemSerializer):
    full_clean_exclude = ("asset", "position")

    class Meta:
        model = models.Program
        fields = ["indication", "translations", "phase", "sponsor", "status_note"]


class AssetSentenceSerializer(NestedItemSerializer):
    position_field = None
    full_clean_exclude = ("asset",)

    class Meta:
        model = models.AssetSentence
        fields = ["language", "text"]
        validators = []


class PipelineAssetSerializer(CleanModelSerializer):
    programs = ProgramSerializer(many=True, required=False, help_text="Indications in order; replaced on write.")
    sentences = AssetSentenceSerializer(
        many=True, required=False, help_text="The About section's sentence, one per language; replaced on write."
    )
    nested_fields = ("programs", "sentences")

    class Meta:
        model = models.PipelineAsset
        fields = [
            "id", "company", "kind", "name", "code", "inn", "modality", "mechanism", "partners", "display_order",
            "active", "archived", "programs", "sentences", "created_at", "updated_at",
        ]  # fmt: skip

    def validate_sentences(self, value):
        languages = [item["language"] for item in value]
        if len(languages) != len(set(languages)):
            raise serializers.ValidationError(_("One sentence per language."))
        return value

    def _write_children(self, asset, programs, sentences):
        if programs is not None:
            _replace_children(asset.programs, ProgramSerializer, programs, asset=asset)
        if sentences is not None:
            _replace_children(asset.sentences, AssetSentenceSerializer, sentences, asset=asset)

    @transaction.atomic
    def create(self, validated_data):
        programs, sentences = validated_data.pop("programs", []), validated_data.pop("sentences", [])
        asset = super().create(validated_data)
        self._write_children(asset, programs, sentences)
        return asset

    @transaction.atomic
    def update(self, instance, validated_data):
        programs, sentences = validated_data.pop("programs", None), validated_data.pop("sentences", None)
        asset = super().update(instance, validated_data)
        self._write_children(asset, programs, sentences)
        return asset


# Boilerplate and disclaimers ---------------------------------------------------------------------


class BlockReferenceSerializer(NestedItemSerializer):
    """A reference of the block's own, cited in its text as "(position)"; numbered from 1 in the order given."""

    full_clean_exclude = ("block", "position")
    position = serializers.IntegerField(read_only=True, help_text="The number the block's text cites, from 1.")

    class Meta:
        model = models.BlockReference
        fields = ["position", "citation", "url", "accessed_on", "accessed_label"]

    @classmethod
    def position_of(cls, index: int) -> dict:
        return {"position": index + 1}


class BoilerplateBlockSerializer(CleanModelSerializer):
    references = BlockReferenceSerializer(
        many=True,
        required=False,
        max_length=200,
        help_text="The block's own references, in order: its text cites them as (1), (2)…, and each release that "
        "uses the block numbers them after its own. Replaced on write.",
    )
    nested_fields = ("references",)

    class Meta:
        model = models.BoilerplateBlock
        fields = [
            "id", "company", "kind", "language", "title", "body", "references", "archived", "created_at", "updated_at",
        ]  # fmt: skip

    @transaction.atomic
    def create(self, validated_data):
        references = validated_data.pop("references", [])
        block = super().create(validated_data)
        _replace_children(block.references, BlockReferenceSerializer, references, block=block)
        return block

    @transaction.atomic
    def update(self, instance, validated_data):
        references = validated_data.pop("references", None)
        block = super().update(instance, validated_data)
        if references is not None:
            _replace_children(block.references, BlockReferenceSerializer, references, block=block)
        return block


class DisclaimerSerializer(CleanModelSerializer):
    class Meta:
        model = models.Disclaimer
        fields = ["id", "company", "kind", "language", "title", "body", "archived", "created_at", "updated_at"]


class BlockSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.BoilerplateBlock
        fields = ["id", "kind", "language", "title", "body"]
        read_only_fields = fields


class DisclaimerSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Disclaimer
        fields = ["id", "kind", "language", "title", "body"]
        read_only_fields = fields


class PublicBlockSerializer(serializers.Serializer):
    """A topic About or the company About as the published release printed it."""

    title = serializers.CharField(read_only=True)
    body = serializers.CharField(
        read_only=True,
        help_text="HTML with its placeholders filled (and, for the company About, the pipeline lists generated) "
        "as frozen at approval.",
    )


class PublicDisclaimerSerializer(serializers.Serializer):
    """A disclaimer as the published release printed it."""

    kind = serializers.ChoiceField(choices=models.Disclaimer.Kind.choices, read_only=True)
    title = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True, help_text="HTML with its placeholders filled, as frozen at approval.")


# Releases ----------------------------------------------------------------------------------------


class ReferenceSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A numbered reference: `position` is its number, cited in the body as "(position)"."""

    position = serializers.IntegerField(read_only=True, help_text="The number cited in the body, from 1.")

    class Meta:
        model = models.Reference
        fields = ["position", "citation", "url", "accessed_on", "accessed_label"]

    def validate(self, attrs):
        reference = models.Reference(position=1, **attrs)
        try:
            reference.full_clean(exclude=["release", "position"], validate_unique=False, validate_constraints=False)
        except DjangoValidationError as error:
            raise_as_drf(error)
        return attrs


class RenderLinksSerializer(serializers.Serializer):
    page = serializers.URLField(help_text="The page HTML.")
    fragment = serializers.URLField(help_text="The HTML fragment for an IR website.")
    text = serializers.URLField(help_text="Plain text for wire services.")
    pdf = serializers.URLField(help_text="The PDF.")


def _render_links(serializer, release) -> dict:
    request = serializer.context.get("request")
    links = {}
    for name in ("page", "fragment", "text", "pdf"):
        url = reverse(f"api:{serializer.route_basename}-{name}", kwargs={"pk": release.pk})
        links[name] = request.build_absolute_uri(url) if request else url
    return links


class _ReleaseReadMixin(serializers.Serializer):
    company = CompanySummarySerializer(read_only=True)
    references = ReferenceSerializer(many=True, read_only=True)
    renders = serializers.SerializerMethodField(help_text="Where to fetch the release as page, fragment, text, PDF.")
    public_url = serializers.SerializerMethodField(help_text="The public page, once the release is public.")

    @extend_schema_field(RenderLinksSerializer)
    def get_renders(self, release) -> dict:
        return _render_links(self, release)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_public_url(self, release) -> str | None:
        if not release.is_public:
            return None
        request = self.context.get("request")
        url = release.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class PublicCompanySerializer(serializers.Serializer):
    """The issuer as the published release printed it (names, city and country in the release's language)."""

    id = serializers.IntegerField(read_only=True)
    short_name = serializers.CharField(read_only=True)
    legal_name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    website = serializers.CharField(read_only=True)
    city = serializers.CharField(read_only=True)
    country = serializers.CharField(read_only=True)
    listings = ListingSerializer(many=True, read_only=True)


def frozen_composition(release):
    """What approval froze for `release`, composed again from its structured content; None without a snapshot."""
    if not hasattr(release, "_public_composed"):
        release._public_composed = None
        try:
            release._public_composed = compose(ReleaseContent.from_json(release.snapshot.content_json))
        except (models.Snapshot.DoesNotExist, ValueError):
            logger.warning("Release %s has no frozen content to compose; the API shows its headline only.", release.pk)
    return release._public_composed


class PublicReleaseSerializer(_ReleaseReadMixin, serializers.ModelSerializer):
    """A public release as it went out: its text and parts are those frozen at approval.

    The structured content of the snapshot is composed again (`releases.rendering`), so blocks and
    disclaimers read exactly as the page printed them; editing a block, a disclaimer, a contact, the
    company or its pipeline afterwards changes nothing here. A withdrawn release keeps only its
    headline, dates and notice.
    """

    route_basename = "public-release"
    status = serializers.ChoiceField(
        choices=[(s, models.Release.Status(s).label) for s in models.Release.RELEASED_STATUSES], read_only=True
    )
    company = serializers.SerializerMethodField(help_text="The issuer as the release printed it.")
    label = serializers.SerializerMethodField(
        help_text="The label printed above the headline (press_release, company_announcement, inside_information, "
        "regulated_information), as frozen at approval."
    )
    headline = serializers.SerializerMethodField(help_text="As frozen at approval.")
    subheadline = serializers.SerializerMethodField(help_text="As frozen at approval.")
    body = serializers.SerializerMethodField(help_text="Sanitised HTML, as frozen at approval.")
    references = serializers.SerializerMethodField(help_text="Numbered references, in order: (1), (2)…")
    company_about = serializers.SerializerMethodField(
        help_text="The company About with its placeholders filled and its pipeline lists generated, or null."
    )
    topic_abouts = serializers.SerializerMethodField(help_text="Topic Abouts, in order, as printed.")
    disclaimers = serializers.SerializerMethodField(help_text="Disclaimers, in order, as printed.")
    contacts = serializers.SerializerMethodField(help_text="Contacts, in order: names and roles only.")

    class Meta:
        model = models.Release
        fields = [
            "id", "status", "company", "language", "category", "label", "headline", "subheadline", "slug", "place",
            "publication_at", "body", "company_about", "topic_abouts", "disclaimers", "contacts", "references",
            "corrects", "correction_note", "withdrawal_notice", "withdrawn_at", "translation_group", "public_url",
            "renders",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(PublicCompanySerializer)
    def get_company(self, release) -> dict:
        composed = frozen_composition(release)
        if composed is None:
            empty = dict.fromkeys(("short_name", "legal_name", "slug", "website", "city", "country"), "")
            return PublicCompanySerializer({"id": release.company_id, **empty, "listings": []}).data
        company = composed.content.company
        return PublicCompanySerializer(
            {
                "id": release.company_id,
                **{name: getattr(company, name) for name in ("short_name", "legal_name", "slug", "website")},
                "city": company.city,
                "country": company.country,
                "listings": [vars(listing) for listing in composed.content.listings],
            }
        ).data

    def get_label(self, release) -> str:
        composed = frozen_composition(release)
        return composed.content.label if composed else release.printed_label

    def get_headline(self, release) -> str:
        composed = frozen_composition(release)
        return composed.headline if composed else release.headline

    def get_subheadline(self, release) -> str:
        composed = frozen_composition(release)
        return composed.subheadline if composed else ""

    def get_body(self, release) -> str:
        composed = frozen_composition(release)
        return composed.content.body if composed else ""

    @extend_schema_field(ReferenceSerializer(many=True))
    def get_references(self, release):
        composed = frozen_composition(release)
        references = [vars(r) for r in composed.content.references] if composed else []
        return ReferenceSerializer(references, many=True).data

    @extend_schema_field(PublicBlockSerializer(allow_null=True))
    def get_company_about(self, release):
        composed = frozen_composition(release)
        if composed is None or composed.company_about is None:
            return None
        return PublicBlockSerializer({"title": composed.company_about.title, "body": composed.company_about.html}).data

    @extend_schema_field(PublicBlockSerializer(many=True))
    def get_topic_abouts(self, release):
        composed = frozen_composition(release)
        blocks = [{"title": t.title, "body": t.html} for t in composed.topics] if composed else []
        return PublicBlockSerializer(blocks, many=True).data

    @extend_schema_field(PublicDisclaimerSerializer(many=True))
    def get_disclaimers(self, release):
        composed = frozen_composition(release)
        if composed is None:
            return []
        disclaimers = [{"kind": d.kind, "title": d.title, "body": d.html} for d in composed.disclaimers]
        return PublicDisclaimerSerializer(disclaimers, many=True).data

    @extend_schema_field(PublicContactSerializer(many=True))
    def get_contacts(self, release):
        # Only the public fields are copied: a snapshot also holds the email and phone it printed.
        composed = frozen_composition(release)
        contacts = [
            {name: getattr(c, name) for name in ("kind", "name", "role", "organisation")}
            for c in (composed.contacts if composed else [])
        ]
        return PublicContactSerializer(contacts, many=True).data

    def to_representation(self, release):
        data = super().to_representation(release)
        if release.status == models.Release.Status.WITHDRAWN:
            # A withdrawal leaves its notice at the same address, and nothing of what was withdrawn.
            data.update(
                subheadline="", body="", company_about=None, topic_abouts=[], disclaimers=[], contacts=[], references=[]
            )
        return data


class ReleaseSerializer(_ReleaseReadMixin, serializers.ModelSerializer):
    """A release as staff read it: every part, its state and who did what."""

    route_basename = "release"
    label = serializers.CharField(
        read_only=True,
        help_text="The label chosen above the headline (press_release, company_announcement, inside_information, "
        "regulated_information), or empty: the category's, else the company's usual one.",
    )
    company_about = BlockSummarySerializer(read_only=True, allow_null=True)
    topic_abouts = serializers.SerializerMethodField(help_text="Topic Abouts, in order.")
    disclaimers = serializers.SerializerMethodField(help_text="Disclaimers, in order.")
    contacts = serializers.SerializerMethodField(help_text="Contacts, in order.")
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    last_edited_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    approved_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    published_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    is_public = serializers.BooleanField(read_only=True, help_text="Released and its moment has come.")

    class Meta:
        model = models.Release
        fields = [
            "id", "status", "version", "is_public", "company", "language", "category", "label", "headline",
            "subheadline", "slug", "place", "publication_at", "body", "company_about", "topic_abouts", "disclaimers",
            "contacts", "references", "translation_group", "corrects", "correction_note", "withdrawal_notice",
            "withdrawn_at",
            "created_at", "updated_at", "created_by", "last_edited_by", "approved_by", "approved_at",
            "published_by", "public_url", "renders",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(BlockSummarySerializer(many=True))
    def get_topic_abouts(self, release):
        return BlockSummarySerializer([link.block for link in release.topic_links.all()], many=True).data

    @extend_schema_field(DisclaimerSummarySerializer(many=True))
    def get_disclaimers(self, release):
        return DisclaimerSummarySerializer([link.disclaimer for link in release.disclaimer_links.all()], many=True).data

    @extend_schema_field(ReleaseContactSerializer(many=True))
    def get_contacts(self, release):
        return ReleaseContactSerializer([link.contact for link in release.contact_links.all()], many=True).data


class _IdList(serializers.ListField):
    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 50)
        super().__init__(child=serializers.PrimaryKeyRelatedField(queryset=queryset), **kwargs)

    def to_internal_value(self, data):
        items = super().to_internal_value(data)
        if len({item.pk for item in items}) != len(items):
            raise serializers.ValidationError(_("Name each item once."))
        return items


class ReleaseWriteSerializer(StrictFieldsMixin, serializers.Serializer):
    """What a writer sets on a release. Lists are ordered and replace the release's current ones.

    Updates must send `version`, the one they read: a stale version is refused with 409.
    """

    version = serializers.IntegerField(
        required=False, min_value=1, help_text="Required on update: the version you read (no lost updates)."
    )
    company = serializers.PrimaryKeyRelatedField(queryset=models.Company.objects.all())
    language = AllowedChoiceField(choices=models.LANGUAGE_CHOICES)
    category = AllowedChoiceField(choices=models.Release.Category.choices, required=False)
    label = AllowedChoiceField(
        choices=models.ReleaseLabel.choices,
        required=False,
        allow_blank=True,
        help_text="Above the headline; one of the company's labels. Empty: the category's, else the company's "
        "usual one.",
    )
    headline = serializers.CharField(max_length=300)
    subheadline = serializers.CharField(max_length=500, required=False, allow_blank=True)
    slug = serializers.SlugField(max_length=200, required=False, allow_blank=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    publication_at = MomentField(required=False, allow_null=True, help_text=MOMENT_HELP)
    body = RichTextSerializerField(required=False, allow_blank=True)
    translation_group = serializers.UUIDField(required=False, help_text="Shared by the versions in other languages.")
    company_about = serializers.PrimaryKeyRelatedField(
        queryset=models.BoilerplateBlock.objects.filter(kind=models.BoilerplateBlock.Kind.COMPANY_ABOUT),
        required=False,
        allow_null=True,
        help_text="A boilerplate block of kind company_about.",
    )
    topic_abouts = _IdList(
        models.BoilerplateBlock.objects.filter(kind=models.BoilerplateBlock.Kind.TOPIC_ABOUT),
        help_text="Ids of topic_about blocks, in order.",
    )
    disclaimers = _IdList(models.Disclaimer.objects.all(), help_text="Ids of disclaimers, in order.")
    contacts = _IdList(models.Contact.objects.all(), help_text="Ids of contacts, in order.")
    references = ReferenceSerializer(many=True, required=False, max_length=200, help_text="In order: (1), (2)…")

    def validate(self, attrs):
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError({"version": [_("Send the version you read.")]})
        if attrs.get("publication_at") is not None:
            company = attrs.get("company") or getattr(self.instance, "company", None)
            attrs["publication_at"] = in_zone(attrs["publication_at"], company.zone if company else dt.UTC)
        return attrs
