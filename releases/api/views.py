"""The API's views: thin. Reads start from a gated queryset; every release state change is a service call.

- `/api/v1/public/releases/`: anyone; lists `Release.objects.listed()`, reads `Release.objects.published()`,
  serves only the frozen snapshot: its renders, and JSON built from its content_json.
- `/api/v1/releases/` and the parts: staff, with the model permissions of their role.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from releases import caching, models, rendering, selectors, services
from releases.checks import run_checks
from releases.parity import parity_report
from releases.scoping import scoped

from . import serializers as s
from .authentication import TokenAuthentication
from .errors import Gone, api_exception_handler
from .filters import (
    BoilerplateBlockFilter,
    BoundedSearchFilter,
    ContactFilter,
    DisclaimerFilter,
    PipelineAssetFilter,
    ReleaseFilter,
    WhitelistOrderingFilter,
)
from .pagination import Pagination, PublicPagination
from .permissions import PERMISSION_TEXT, ModelPermissions, ReleasePermissions, permission_text
from .schema import NewsroomAutoSchema
from .throttling import AnonymousThrottle, TokenThrottle


class ApiViewSet(viewsets.GenericViewSet):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [ModelPermissions]
    throttle_classes = [AnonymousThrottle, TokenThrottle]
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend, BoundedSearchFilter, WhitelistOrderingFilter]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]  # the documentation is /api/docs/
    schema = NewsroomAutoSchema()
    lookup_value_regex = r"[0-9]{1,18}"
    public = False  # True: what anyone may read, which caches may keep
    scope_path = "company"  # how a row leads to its company, for staff assigned to some companies
    scope_shared = False

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.public or not self.scope_path:
            return queryset
        return scoped(queryset, self.request.user, self.scope_path, shared=self.scope_shared)

    def get_exception_handler(self):
        return api_exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.public and response.status_code == 200:
            # What anyone may read: CDNs may keep it (the site does not: throttles count every request).
            if self.action == "list":
                caching.mark(response, "list", bound=selectors.next_scheduled_moment(), keep=False)
            elif "pk" in kwargs:
                caching.mark(response, "release", keys=caching.release_keys(kwargs["pk"]), keep=False)
        if not self.public:
            # What staff read is not for caches or search engines, drafts least of all.
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # History rows name who changed what: the user DRF authenticated (a token's), not Django's anonymous one.
        request._request.user = request.user


class JsonErrorsNegotiation(BaseContentNegotiation):
    """For the renders: the body is HTML, text or PDF whatever the client accepts; errors are JSON."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


RENDERS = {
    # name: (snapshot field, live renderer, media type)
    "page": ("page_html", rendering.render_page, "text/html; charset=utf-8"),
    "fragment": ("fragment_html", rendering.render_fragment, "text/html; charset=utf-8"),
    "text": ("plain_text", rendering.render_text, "text/plain; charset=utf-8"),
    "pdf": ("pdf", rendering.render_pdf, "application/pdf"),
}
RENDER_SCHEMA = {
    "page": ("text/html", OpenApiTypes.STR, "The whole page, as the newsroom serves it."),
    "fragment": ("text/html", OpenApiTypes.STR, "The release without page chrome, styles inline."),
    "text": ("text/plain", OpenApiTypes.STR, "Plain text for wire services."),
    "pdf": ("application/pdf", OpenApiTypes.BINARY, "The PDF (A4, PDF/A where the renderer allows)."),
}


def render_action(function):
    # A fresh `action` per render: its kwargs dict carries that render's own schema.
    return action(
        detail=True,
        methods=["get"],
        renderer_classes=[JSONRenderer],
        content_negotiation_class=JsonErrorsNegotiation,
    )(function)


def render_response(release: models.Release, name: str, *, live: bool) -> HttpResponse:
    field, renderer, media_type = RENDERS[name]
    snapshot = getattr(release, "snapshot", None) if release.is_frozen else None
    if snapshot is not None:
        body = getattr(snapshot, field)
        body = bytes(body) if name == "pdf" else body
    elif live:
        body = renderer(release)
    else:
        raise Gone(detail=_("This release has no published version to show."))
    response = HttpResponse(body, content_type=media_type)
    if name == "pdf":
        response["Content-Disposition"] = f'inline; filename="{release.slug}.pdf"'
    return response


def render_schema(name: str, audience: str):
    media_type, kind, description = RENDER_SCHEMA[name]
    return extend_schema(
        summary=f"The release's {name}",
        description=f"{description} {audience}",
        responses={(200, media_type): OpenApiResponse(kind, description=description)},
    )


def release_queryset(queryset):
    """A release with every part the serializers print, in a constant number of queries."""
    return queryset.select_related(
        "company", "company_about", "created_by", "last_edited_by", "approved_by", "published_by"
    ).prefetch_related(
        "company__listings",
        "references",
        Prefetch("topic_links", queryset=models.ReleaseTopic.objects.select_related("block")),
        Prefetch("disclaimer_links", queryset=models.ReleaseDisclaimer.objects.select_related("disclaimer")),
        Prefetch("contact_links", queryset=models.ReleaseContact.objects.select_related("contact")),
    )


# The snapshot's outputs a public JSON read leaves in the database (the JSON reads only content_json).
SNAPSHOT_OUTPUTS = ("page_html", "fragment_html", "plain_text", "pdf")


def public_release_queryset(queryset, *, renders: bool = False):
    """A public release with its snapshot, in one query however many: the JSON reads only what was frozen.

    No live part (company, blocks, disclaimers, contacts, references) is read: they may have changed since.
    """
    # The live body is never served: the JSON prints the frozen one (and the search filter reads it in SQL).
    queryset = queryset.select_related("snapshot").defer("body")
    if not renders:
        queryset = queryset.defer(*(f"snapshot__{name}" for name in SNAPSHOT_OUTPUTS))
    return queryset


PUBLIC_AUDIENCE = (
    "Open to everyone, no authentication needed: only releases whose publication moment has come "
    "(`Release.objects.published()`); the frozen snapshot of what went out."
)


@extend_schema_view(
    list=extend_schema(
        summary="Public releases",
        description="Published releases, newest first; withdrawn ones are left out. " + PUBLIC_AUDIENCE,
    ),
    retrieve=extend_schema(
        summary="A public release",
        description="A published, corrected or withdrawn release (a withdrawn one keeps only its notice). "
        + PUBLIC_AUDIENCE,
    ),
)
class PublicReleaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """What anyone may read: published releases through the one public gate, and nothing else."""

    permission_classes = [AllowAny]
    public = True
    pagination_class = PublicPagination
    serializer_class = s.PublicReleaseSerializer
    filterset_class = ReleaseFilter
    search_fields = ["headline", "subheadline", "body"]
    ordering_fields = ["publication_at", "headline", "id"]

    def get_queryset(self):
        gate = models.Release.objects.listed() if self.action == "list" else models.Release.objects.published()
        return public_release_queryset(gate, renders=self.action in RENDERS)

    @render_schema("page", PUBLIC_AUDIENCE)
    @render_action
    def page(self, request, pk=None):
        return render_response(self.get_object(), "page", live=False)

    @render_schema("fragment", PUBLIC_AUDIENCE)
    @render_action
    def fragment(self, request, pk=None):
        return render_response(self.get_object(), "fragment", live=False)

    @render_schema("text", PUBLIC_AUDIENCE)
    @render_action
    def text(self, request, pk=None):
        return render_response(self.get_object(), "text", live=False)

    @render_schema("pdf", PUBLIC_AUDIENCE)
    @render_action
    def pdf(self, request, pk=None):
        return render_response(self.get_object(), "pdf", live=False)

    def get_object(self):
        release = super().get_object()
        if self.action in RENDERS and release.status == models.Release.Status.WITHDRAWN:
            raise Gone(detail=release.withdrawal_notice or None)
        return release

    extra_error_codes = {name: ["410"] for name in RENDERS}


# -- staff: releases ---------------------------------------------------------------------------------


class ReviewSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The release's version: send it as `version` to approve.")
    digest = serializers.CharField(help_text="SHA-256 of the composed release: send it as `digest` to approve.")
    text = serializers.CharField(help_text="The release as plain text, as the public would read it.")
    html = serializers.CharField(help_text="The release as an HTML fragment, as the public would read it.")


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable name of the rule.")
    level = serializers.ChoiceField(choices=["blocking", "warning"], help_text="Blocking checks stop a submission.")
    message = serializers.CharField()
    field = serializers.CharField(help_text="The part of the release to fix.")


class ParityDifferenceSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="What kind of item: number, percentage, date, time, isin, ticker, asset, url, person."
    )
    item = serializers.CharField(help_text="The item, normalised (e.g. 26482 for 26,482 and 26 482).")
    present_in = serializers.CharField(help_text="The language version that has it.")
    written = serializers.CharField(help_text="How that version writes it.")
    where = serializers.ListField(child=serializers.CharField(), help_text="The parts it appears in.")
    missing_from = serializers.CharField(help_text="The language version that lacks it.")
    message = serializers.CharField()


class ParityReportSerializer(serializers.Serializer):
    release = serializers.IntegerField(allow_null=True)
    language = serializers.CharField()
    other_release = serializers.IntegerField(allow_null=True)
    other_language = serializers.CharField(allow_blank=True, allow_null=True)
    has_translation = serializers.BooleanField()
    ok = serializers.BooleanField(help_text="True when nothing differs.")
    differences = ParityDifferenceSerializer(many=True)


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    details = serializers.JSONField(read_only=True)

    class Meta:
        model = models.WorkflowEvent
        fields = ["action", "actor", "from_status", "to_status", "comment", "at", "details"]
        read_only_fields = fields


STAFF_AUDIENCE = "Staff only: the live composition while a draft, the frozen snapshot once approved."
# The write serializer's names for the parts, and the keywords of `release_edit` they fill.
PART_ARGUMENTS = {
    "references": "references",
    "topic_abouts": "topics",
    "disclaimers": "disclaimers",
    "contacts": "contacts",
}


def argument_field(spec: services.Argument) -> serializers.Field:
    """The request field of one argument a transition declares."""
    help_text = str(spec.help_text)
    if spec.kind == "text":
        return serializers.CharField(
            max_length=5000, required=spec.required, allow_blank=not spec.required, help_text=help_text
        )
    if spec.kind == "version":
        return serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=spec.required, help_text=help_text)
    if spec.kind == "digest":
        return serializers.RegexField(r"^[0-9a-f]{64}$", required=spec.required, help_text=help_text)
    return s.MomentField(required=spec.required, allow_null=not spec.required, help_text=f"{help_text} {s.MOMENT_HELP}")


def argument_serializer(transition: services.Transition) -> type[serializers.Serializer]:
    """The request body of a transition's route, from the arguments it declares."""
    fields = {spec.name: argument_field(spec) for spec in transition.arguments}
    name = "".join(part.capitalize() for part in transition.name.split("_")) + "Request"
    return type(name, (s.StrictFieldsMixin, serializers.Serializer), fields)


def transition_route(transition: services.Transition):
    """The API route of one transition: POST /api/v1/releases/{id}/<name>/, answering the release it leaves."""
    body = argument_serializer(transition)

    def route(self, request, pk=None):
        release = self.get_object()
        serializer = body(data=request.data)
        serializer.is_valid(raise_exception=True)
        arguments = dict(serializer.validated_data)
        for spec in transition.arguments:
            if spec.kind == "moment":  # a moment without its offset is read in the company's time zone
                arguments[spec.name] = s.in_zone(arguments.get(spec.name), release.company.zone, spec.name)
        result = transition.execute(release=release, user=request.user, **arguments)
        return self._read(result, status.HTTP_201_CREATED if transition.creates else status.HTTP_200_OK)

    route.__name__ = transition.name
    route = action(detail=True, methods=["post"], url_path=transition.name, url_name=transition.name)(route)
    return extend_schema(
        summary=transition.summary,
        description=f"{transition.summary}. {permission_text(transition)} Calls the same transition as the admin "
        "and the command line; a refused step is a 400 with the reason (403 without the permission), and "
        "nothing is written.",
        request=body if transition.arguments else None,
        responses={201 if transition.creates else 200: s.ReleaseSerializer},
    )(route)


@extend_schema_view(
    list=extend_schema(summary="All releases", description="Every release in every state. Needs `view_release`."),
    retrieve=extend_schema(summary="A release", description="Needs `view_release`."),
    create=extend_schema(
        summary="Create a draft",
        description="A new draft written by you; lists are ordered. Needs `add_release` (Writer).",
        request=s.ReleaseWriteSerializer,
        responses={201: s.ReleaseSerializer},
    ),
    partial_update=extend_schema(
        summary="Edit a release",
        description="Send `version` as you read it: a stale one is a 409 and nothing is overwritten. Editing an "
        "approved release sends it back to draft; a published one cannot be edited (400). "
        "Needs `change_release` (Writer).",
        request=s.ReleaseWriteSerializer,
        responses={200: s.ReleaseSerializer},
    ),
)
class ReleaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet):
    """Releases in every state, for staff; every change goes through `releases.services`."""

    permission_classes = [ReleasePermissions]
    serializer_class = s.ReleaseSerializer
    filterset_class = ReleaseFilter
    search_fields = ["headline", "subheadline", "body"]
    ordering_fields = ["publication_at", "headline", "id", "created_at", "updated_at", "status"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    extra_error_codes = {
        "partial_update": ["409"],
        **{name: ["409"] for name in services.TRANSITIONS},
        "approve": ["409", "422", "503"],  # approval renders the snapshot
        "parity": ["400"],  # an `other` that is not a content language
        **{name: ["422", "503"] for name in RENDERS},
    }

    def get_queryset(self):
        queryset = scoped(models.Release.objects.all(), self.request.user)
        if self.action in ("list", "retrieve"):
            queryset = release_queryset(queryset)
        return queryset

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return s.ReleaseWriteSerializer
        return s.ReleaseSerializer

    def _read(self, release, status_code=status.HTTP_200_OK):
        release = release_queryset(models.Release.objects.all()).get(pk=release.pk)
        return Response(s.ReleaseSerializer(release, context=self.get_serializer_context()).data, status=status_code)

    def _change(self, data: dict) -> tuple[dict, dict]:
        """The write serializer's data as `release_create` / `release_edit` take it: fields and parts."""
        parts = {argument: data.pop(name) for name, argument in PART_ARGUMENTS.items() if name in data}
        return {k: v for k, v in data.items() if k in services.EDITABLE_FIELDS}, parts

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        fields, parts = self._change(data)
        release = services.release_create(user=request.user, fields=fields, **parts)
        return self._read(release, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        release = self.get_object()
        serializer = self.get_serializer(release, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected = data.pop("version")
        fields, parts = self._change(data)
        services.release_edit(release=release, user=request.user, expected_version=expected, fields=fields, **parts)
        return self._read(release)

    @extend_schema(
        summary="Read a release for review",
        description="The release composed as it is now, with the version and digest an approval must name: if "
        "the release or any part it is composed from changes before the approval, the approval is refused "
        "and says what changed. Keeps what you read. " + PERMISSION_TEXT["review"],
        responses={200: ReviewSerializer},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def review(self, request, pk=None):
        review = services.release_review(release=self.get_object(), user=request.user)
        composed = review.composed
        return Response(
            {
                "version": review.version,
                "digest": review.digest,
                "text": rendering.render_text(composed),
                "html": rendering.render_fragment(composed),
            }
        )

    @extend_schema(
        summary="The checks before review",
        description="Blocking checks stop a submission; warnings inform. " + PERMISSION_TEXT["checks"],
        responses={200: CheckSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def checks(self, request, pk=None):
        return Response([check.as_dict() for check in run_checks(self.get_object())])

    @extend_schema(
        summary="Parity with the other language version",
        description=(
            "Numbers, dates, times, percentages, ISIN, ticker, asset names and codes, URLs and quoted people "
            "found in one language version and missing from the other, side by side. `?other=de` compares "
            "with the German version (any pair of a translation group); without it, the latest other version. "
            "`has_translation` is false when there is no such version. " + PERMISSION_TEXT["parity"]
        ),
        parameters=[
            OpenApiParameter(
                "other", str, enum=list(settings.CONTENT_LANGUAGES), description="The language version to compare with."
            )
        ],
        responses={200: ParityReportSerializer},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def parity(self, request, pk=None):
        other = request.query_params.get("other") or None
        if other is not None and other not in settings.CONTENT_LANGUAGES:
            raise serializers.ValidationError(
                {"other": [_("Use one of: %(allowed)s.") % {"allowed": ", ".join(settings.CONTENT_LANGUAGES)}]}
            )
        return Response(parity_report(self.get_object(), other).as_dict())

    @extend_schema(
        summary="The audit trail",
        description="Who did what and when, oldest first. " + PERMISSION_TEXT["history"],
        responses={200: EventSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        events = self.get_object().events.select_related("actor")
        return Response(EventSerializer(events, many=True).data)

    @render_schema("page", STAFF_AUDIENCE)
    @render_action
    def page(self, request, pk=None):
        return render_response(self.get_object(), "page", live=True)

    @render_schema("fragment", STAFF_AUDIENCE)
    @render_action
    def fragment(self, request, pk=None):
        return render_response(self.get_object(), "fragment", live=True)

    @render_schema("text", STAFF_AUDIENCE)
    @render_action
    def text(self, request, pk=None):
        return render_response(self.get_object(), "text", live=True)

    @render_schema("pdf", STAFF_AUDIENCE)
    @render_action
    def pdf(self, request, pk=None):
        return render_response(self.get_object(), "pdf", live=True)


for _transition in services.TRANSITIONS.values():
    setattr(ReleaseViewSet, _transition.name, transition_route(_transition))


# -- staff: companies and reusable parts -------------------------------------------------------------


class PartViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, ApiViewSet
):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


class RemovalSerializer(serializers.Serializer):
    deleted = serializers.BooleanField(help_text="False: a release used it, so it was archived instead.")
    detail = serializers.CharField()


class RemovableMixin(mixins.DestroyModelMixin):
    """DELETE removes a part nobody used; one a release used is archived instead (200 with the reason)."""

    @extend_schema(
        responses={
            204: OpenApiResponse(description="Deleted."),
            200: OpenApiResponse(RemovalSerializer, description="Used by a release: archived instead."),
        }
    )
    def destroy(self, request, *args, **kwargs):
        removal = services.part_delete(part=self.get_object(), user=request.user)
        if removal.deleted:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response({"deleted": False, "detail": str(removal.message)})


def part_schema(noun: str, perm: str, *, removable: bool = True):
    removal = {}
    if removable:
        removal["destroy"] = extend_schema(
            summary=f"Delete a {noun}",
            description=f"Needs `releases.delete_{perm}`. One a release used is archived instead.",
        )
    return extend_schema_view(
        **removal,
        list=extend_schema(summary=f"All {noun}s", description=f"Needs `releases.view_{perm}`."),
        retrieve=extend_schema(summary=f"A {noun}", description=f"Needs `releases.view_{perm}`."),
        create=extend_schema(summary=f"Create a {noun}", description=f"Needs `releases.add_{perm}`."),
        partial_update=extend_schema(summary=f"Edit a {noun}", description=f"Needs `releases.change_{perm}`."),
    )


@part_schema("company", "company", removable=False)
class CompanyViewSet(PartViewSet):
    queryset = models.Company.objects.prefetch_related("listings", "filings", "house_styles")
    scope_path = "id"
    serializer_class = s.CompanySerializer
    search_fields = ["short_name", "legal_name", "slug"]
    ordering_fields = ["short_name", "legal_name", "id"]
    filterset_fields = ["slug"]
    http_method_names = ["get", "post", "patch", "head", "options"]


@part_schema("contact", "contact")
class ContactViewSet(RemovableMixin, PartViewSet):
    queryset = models.Contact.objects.all()
    serializer_class = s.ContactSerializer
    filterset_class = ContactFilter
    search_fields = ["name", "organisation", "role"]
    ordering_fields = ["name", "kind", "id"]


@part_schema("pipeline asset", "pipelineasset")
class PipelineAssetViewSet(RemovableMixin, PartViewSet):
    queryset = models.PipelineAsset.objects.prefetch_related("programs", "sentences")
    serializer_class = s.PipelineAssetSerializer
    filterset_class = PipelineAssetFilter
    search_fields = ["name", "code", "inn"]
    ordering_fields = ["display_order", "name", "code", "id"]


@part_schema("boilerplate block", "boilerplateblock")
class BoilerplateBlockViewSet(RemovableMixin, PartViewSet):
    queryset = models.BoilerplateBlock.objects.all()
    serializer_class = s.BoilerplateBlockSerializer
    filterset_class = BoilerplateBlockFilter
    search_fields = ["title", "body"]
    ordering_fields = ["title", "kind", "language", "id"]


@part_schema("disclaimer", "disclaimer")
class DisclaimerViewSet(RemovableMixin, PartViewSet):
    queryset = models.Disclaimer.objects.all()
    scope_shared = True  # a text every company may use
    serializer_class = s.DisclaimerSerializer
    filterset_class = DisclaimerFilter
    search_fields = ["title", "body"]
    ordering_fields = ["title", "kind", "language", "id"]
