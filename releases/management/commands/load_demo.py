"""Load the demo: OSE Immunotherapeutics' release of 1 July 2024, rebuilt from structured parts.

The data lives in `releases.demo.ose`. Running the command twice changes nothing: every row is
found by its natural key (company by slug, asset by code or name, block and disclaimer by kind,
language and title, release by language and slug) and written only when a value differs, so the
second run adds no history rows and moves no `updated_at`. A release that is already approved or
published is frozen and left exactly as it is.

The lead convention. A release body whose first paragraph starts with a lower-case verb
("today announced …") gets the lead written in front of it by the renderer: the dateline
(city, date and time in the company's time zone with the zone abbreviation true on that date,
e.g. "Nantes, France – July 1, 2024 – 7:30 am CEST – "), then the company's legal name and its
security identifiers ("OSE Immunotherapeutics SA (ISIN: FR0012127173; Mnemo: OSE) "). The
identifiers therefore always come from the company's listings, never from typed text.
"""

import argparse
import io
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from releases import services
from releases.demo import kide, ose, ose_fr
from releases.fields import RichTextField
from releases.models import (
    AssetSentence,
    BlockReference,
    BoilerplateBlock,
    Company,
    Contact,
    Disclaimer,
    Filing,
    HouseStyle,
    Listing,
    PipelineAsset,
    Program,
    Release,
)
from releases.sanitize import sanitize_html


class Writer:
    """Finds or creates rows by natural key and saves them only when a wanted value differs."""

    def __init__(self) -> None:
        self.changed = 0

    def upsert(self, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
        obj = model.objects.filter(**lookup).first()
        dirty = obj is None
        if obj is None:
            obj = model(**lookup)
        for name, wanted in values.items():
            field = model._meta.get_field(name)
            if isinstance(field, RichTextField):
                wanted = sanitize_html(wanted)
            if field.is_relation:
                current, wanted_id = getattr(obj, field.attname), (wanted.pk if wanted is not None else None)
                if current != wanted_id:
                    setattr(obj, name, wanted)
                    dirty = True
            elif getattr(obj, name) != wanted:
                setattr(obj, name, wanted)
                dirty = True
        if dirty:
            obj.full_clean()
            obj.save()
            self.changed += 1
        return obj

    def prune(self, queryset: models.QuerySet) -> None:
        """Delete rows that are no longer wanted (the queryset selects them)."""
        deleted, _per_model = queryset.delete()
        self.changed += deleted


class Command(BaseCommand):
    help = "Create or refresh the demo company, its pipeline, blocks, disclaimers and the reference release."

    def add_arguments(self, parser):
        parser.add_argument(
            "--users",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Require the demo accounts (an error where settings.ALLOW_DEMO_USERS is false), or skip them.",
        )
        parser.add_argument(
            "--staff",
            nargs=3,
            metavar=("WRITER", "REVIEWER", "PUBLISHER"),
            help="Existing accounts that write, approve and publish the demo releases instead of the demo accounts.",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        want_users = options["users"]
        allowed = getattr(settings, "ALLOW_DEMO_USERS", False)
        if want_users and not allowed:
            raise CommandError("Demo accounts are not allowed here: settings.ALLOW_DEMO_USERS is false.")
        if want_users is None and not allowed:
            self.stderr.write(self.style.WARNING("Demo accounts skipped: settings.ALLOW_DEMO_USERS is false."))
        create_users = allowed and want_users is not False

        writer = Writer()
        with transaction.atomic():
            users = _load_users(writer) if create_users else {}
            if options.get("staff"):
                users = _staff(options["staff"])
            company = _load_company(writer)
            assets = _load_pipeline(writer, company)
            release = _load_release(writer, company, users, stderr=self.stderr if verbosity else None)
            # The French version: French parts, the same moment, the same translation group.
            _load_french_sentences(writer, assets)
            french = _load_release(
                writer, company, users, stderr=self.stderr if verbosity else None, spec=ose_fr, translation_of=release
            )
            # A second, invented issuer: another market, zone, language, house style and an inside-information release.
            second = _load_kide(writer, users, stderr=self.stderr if verbosity else None)

        if verbosity:
            candidates = sum(1 for a in assets if a.kind == PipelineAsset.Kind.CANDIDATE)
            if release is None:
                releases = "no release (a release needs its writer, reviewer and publisher: the demo accounts)"
            else:
                releases = (
                    f"2 releases (English {release.get_status_display().lower()}, "
                    f"French {french.get_status_display().lower()}), {len(ose.REFERENCES)} references each"
                )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data ready: 1 company, {len(assets)} pipeline assets ({candidates} candidates, "
                    f"{len(assets) - candidates} platforms), {sum(len(a['programs']) for a in _assets())} programs, "
                    f"{len(ose.CONTACTS)} contacts, {2 + len(ose.TOPIC_ABOUTS) + len(ose_fr.TOPIC_ABOUTS)} blocks, "
                    f"{len(ose.DISCLAIMERS) + len(ose_fr.DISCLAIMERS)} disclaimers, {releases}, "
                    f"{len(users)} users; {writer.changed} rows written."
                )
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Second demo company: {kide.COMPANY['legal_name']} (invented), Nasdaq First North, Helsinki time, "
                    f"English and Finnish, inside information"
                    + (f": {second.get_absolute_url()}" if second is not None else ".")
                )
            )


def _assets() -> list[dict]:
    return [*ose.CANDIDATES, *ose.PLATFORMS]


def _load_users(writer: Writer) -> dict:
    """The demo accounts, by username; passwords are set when an account is created, never after."""
    user_model = get_user_model()
    users = {}
    for spec in ose.USERS:
        user = user_model.objects.filter(username=spec["username"]).first()
        if user is None:
            user = user_model(username=spec["username"], email=f"{spec['username']}@example.com")
            user.set_password(spec["password"])
            user.is_staff = True
            user.is_superuser = spec["superuser"]
            user.save()
            writer.changed += 1
        elif not user.is_staff or (spec["superuser"] and not user.is_superuser):
            user.is_staff = True
            user.is_superuser = user.is_superuser or spec["superuser"]
            user.save(update_fields=["is_staff", "is_superuser"])
            writer.changed += 1
        if spec["group"]:
            group, created = Group.objects.get_or_create(name=spec["group"])
            writer.changed += created
            if not user.groups.filter(pk=group.pk).exists():
                user.groups.add(group)
                writer.changed += 1
        users[spec["username"]] = user
    return users


def _staff(usernames: list[str]) -> dict:
    """The given accounts in the roles the demo needs (their own permissions still decide what they may do)."""
    found = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
    missing = [name for name in usernames if name not in found]
    if missing:
        raise CommandError(f"No account named {', '.join(missing)}.")
    return dict(zip(("writer", "reviewer", "publisher"), (found[name] for name in usernames), strict=True))


def _load_company(writer: Writer) -> Company:
    values = {k: v for k, v in ose.COMPANY.items() if k != "slug"}
    company = writer.upsert(Company, {"slug": ose.COMPANY["slug"]}, values)
    for listing in ose.LISTINGS:
        writer.upsert(
            Listing,
            {"company": company, "exchange": listing["exchange"], "ticker": listing["ticker"]},
            {k: v for k, v in listing.items() if k not in {"exchange", "ticker"}},
        )
    for contact in ose.CONTACTS:
        writer.upsert(
            Contact,
            {"company": company, "kind": contact["kind"], "name": contact["name"]},
            {k: v for k, v in contact.items() if k not in {"kind", "name"}},
        )
    if not company.logo:
        _attach_logo(company)
        writer.changed += 1
    return company


def _attach_logo(company: Company) -> None:
    """Give the company a simple wordmark, reusing the file when an earlier run left it in storage."""
    if default_storage.exists(ose.LOGO_NAME):
        company.logo.name = ose.LOGO_NAME
    else:
        company.logo.save(Path(ose.LOGO_NAME).name, ContentFile(_logo_png()), save=False)
    company.save(update_fields=["logo", "updated_at"])


def _logo_png() -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    # An upright font shipped in static/fonts (e.g. Inter), else Pillow's own.
    fonts = sorted(
        p
        for p in (Path(settings.BASE_DIR) / "static" / "fonts").rglob("*")
        if p.suffix.lower() in {".ttf", ".otf"} and "italic" not in p.stem.lower()
    )

    def pick(*weights: str) -> Path | None:
        return next((p for w in weights for p in fonts if p.stem.lower().endswith(w)), fonts[0] if fonts else None)

    bold, regular = pick("-bold", "bold"), pick("-medium", "-regular")

    def font(path: Path | None, size: int):
        return ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size=size)

    teal = (0, 84, 94)
    image = Image.new("RGBA", (600, 160), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.text((24, 10), "OSE", font=font(bold, 84), fill=teal, stroke_width=0 if bold else 2, stroke_fill=teal)
    draw.text((28, 110), "IMMUNOTHERAPEUTICS", font=font(regular, 34), fill=teal)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _load_pipeline(writer: Writer, company: Company, spec=ose) -> list[PipelineAsset]:
    assets = []
    for kind, specs in ((PipelineAsset.Kind.CANDIDATE, spec.CANDIDATES), (PipelineAsset.Kind.PLATFORM, spec.PLATFORMS)):
        for order, spec in enumerate(specs, start=1):
            lookup = {"company": company, "code": spec["code"]} if spec["code"] else {
                "company": company, "kind": kind, "code": "", "name": spec["name"]
            }  # fmt: skip
            values = {
                "kind": kind,
                "name": spec["name"],
                "code": spec["code"],
                "inn": spec["inn"],
                "modality": spec["modality"],
                "mechanism": spec["mechanism"],
                "partners": spec["partners"],
                "display_order": order,
                "active": True,
                "archived": False,
            }
            asset = writer.upsert(PipelineAsset, lookup, values)
            for position, program in enumerate(spec["programs"], start=1):
                writer.upsert(Program, {"asset": asset, "position": position}, program)
            writer.prune(asset.programs.filter(position__gt=len(spec["programs"])))
            for language, text in spec["sentences"].items():
                writer.upsert(AssetSentence, {"asset": asset, "language": language}, {"text": text})
            assets.append(asset)
    return assets


def _load_french_sentences(writer: Writer, assets: list[PipelineAsset]) -> None:
    """The French sentence of every asset (same placeholders), found by the asset's code or name."""
    for asset in assets:
        text = ose_fr.SENTENCES[asset.code or asset.name]
        writer.upsert(AssetSentence, {"asset": asset, "language": "fr"}, {"text": text})


def _load_release(
    writer: Writer, company: Company, users: dict, stderr=None, spec=ose, translation_of: Release | None = None
) -> Release:
    """The release of `spec` (ose: English; ose_fr: French, a translation of `translation_of`)."""
    about = writer.upsert(
        BoilerplateBlock,
        {"company": company, "kind": BoilerplateBlock.Kind.COMPANY_ABOUT, **_key(spec.COMPANY_ABOUT)},
        {"body": spec.COMPANY_ABOUT["body"], "archived": False},
    )
    topics = {}
    for block in spec.TOPIC_ABOUTS:
        topics[block["title"]] = topic = writer.upsert(
            BoilerplateBlock,
            {"company": company, "kind": BoilerplateBlock.Kind.TOPIC_ABOUT, **_key(block)},
            {"body": block["body"], "archived": False},
        )
        # A block that cites its own sources carries them: (1), (2) … in its text, numbered into each release.
        for position, reference in enumerate(block.get("references", []), start=1):
            values = {"url": "", "accessed_on": None, "accessed_label": "", **reference}
            writer.upsert(BlockReference, {"block": topic, "position": position}, values)
    disclaimers = {
        text["title"]: writer.upsert(
            Disclaimer,
            {"company": company if text["company_slug"] else None, "kind": text["kind"], **_key(text)},
            {"body": text["body"], "archived": False},
        )
        for text in spec.DISCLAIMERS
    }
    contacts = {c.name: c for c in company.contacts.all()}

    lookup = {"language": spec.RELEASE["language"], "slug": spec.RELEASE["slug"]}
    release = Release.objects.filter(**lookup).first()
    if release is not None and release.is_frozen:
        # A published release never changes; the demo leaves it as it was published.
        if stderr is not None and _release_differs(release, company, about, spec):
            stderr.write(f"The demo release ({release.language}) is {release.status} and was left as it is.")
        if release.status == Release.Status.APPROVED:
            _publish(writer, release, users)
        return release
    if not users:
        # A release has an author and needs two people to approve it: without the demo accounts it waits.
        return release

    fields = {k: v for k, v in spec.RELEASE.items() if k != "language"}
    fields |= {"company": company, "company_about": about}
    parts = {
        "topics": [topics[t] for t in spec.RELEASE_TOPICS],
        "disclaimers": [disclaimers[t] for t in spec.RELEASE_DISCLAIMERS],
        "contacts": [contacts[n] for n in spec.RELEASE_CONTACTS],
        "references": spec.REFERENCES,
    }
    author = users["writer"]
    if release is None and translation_of is not None:
        # The writer starts the French version from the English one, as the admin does: a draft in
        # the same translation group with the references copied and the French parts chosen.
        release = services.release_translate(release=translation_of, user=author, language=lookup["language"])
        writer.changed += 1
    if release is None:
        release = services.release_create(user=author, fields={**fields, "language": lookup["language"]}, **parts)
        writer.changed += 1
    else:
        version = release.version
        services.release_edit(release=release, user=author, expected_version=version, fields=fields, **parts)
        writer.changed += release.version != version
    _publish(writer, release, users)
    return release


def _key(spec: dict) -> dict:
    return {"language": spec["language"], "title": spec["title"]}


def _release_differs(release: Release, company: Company, about: BoilerplateBlock, spec=ose) -> bool:
    wanted = {k: v for k, v in spec.RELEASE.items() if k not in {"language", "slug"}}
    wanted["body"] = sanitize_html(wanted["body"])
    return (
        any(getattr(release, k) != v for k, v in wanted.items())
        or release.company_id != company.pk
        or release.company_about_id != about.pk
    )


def _publish(writer: Writer, release: Release, users: dict) -> None:
    """Bring the demo release to PUBLISHED at its original moment (1 July 2024, 07:30 Paris).

    Through the workflow: the writer submits, the reviewer approves (the snapshot is frozen) and the
    publisher publishes; the moment has passed, so it is public at once.
    """
    if release.status == Release.Status.DRAFT:
        services.release_submit(release=release, user=users["writer"])
    if release.status == Release.Status.IN_REVIEW:
        review = services.release_review(release=release, user=users["reviewer"])
        services.release_approve(release=release, user=users["reviewer"], version=review.version, digest=review.digest)
    if release.status == Release.Status.APPROVED:
        services.release_publish(release=release, user=users["publisher"])
        writer.changed += 1


def _load_kide(writer: Writer, users: dict, stderr=None) -> Release | None:
    """The invented second issuer (releases.demo.kide): its company, pipeline, parts and two releases."""
    values = {k: v for k, v in kide.COMPANY.items() if k != "slug"}
    company = writer.upsert(Company, {"slug": kide.COMPANY["slug"]}, values)
    for listing in kide.LISTINGS:
        lookup = {"company": company, "exchange": listing["exchange"], "ticker": listing["ticker"]}
        writer.upsert(Listing, lookup, {k: v for k, v in listing.items() if k not in {"exchange", "ticker"}})
    for filing in kide.FILINGS:
        lookup = {"company": company, "kind": filing["kind"], "filed_on": filing["filed_on"]}
        writer.upsert(Filing, lookup, {k: v for k, v in filing.items() if k not in {"kind", "filed_on"}})
    for style in kide.HOUSE_STYLES:
        lookup = {"company": company, "language": style["language"]}
        writer.upsert(HouseStyle, lookup, {k: v for k, v in style.items() if k != "language"})
    for contact in kide.CONTACTS:
        lookup = {"company": company, "kind": contact["kind"], "name": contact["name"]}
        writer.upsert(Contact, lookup, {k: v for k, v in contact.items() if k not in {"kind", "name"}})
    _load_pipeline(writer, company, spec=kide)
    shared = {"TOPIC_ABOUTS": kide.TOPIC_ABOUTS, "DISCLAIMERS": kide.DISCLAIMERS, "REFERENCES": kide.REFERENCES}
    english = SimpleNamespace(
        **shared,
        COMPANY_ABOUT=kide.COMPANY_ABOUTS[0],
        RELEASE=kide.RELEASE,
        RELEASE_TOPICS=kide.RELEASE_TOPICS,
        RELEASE_DISCLAIMERS=kide.RELEASE_DISCLAIMERS,
        RELEASE_CONTACTS=kide.RELEASE_CONTACTS,
    )
    finnish = SimpleNamespace(
        **shared,
        COMPANY_ABOUT=kide.COMPANY_ABOUTS[1],
        RELEASE=kide.RELEASE_FI,
        RELEASE_TOPICS=kide.RELEASE_TOPICS_FI,
        RELEASE_DISCLAIMERS=kide.RELEASE_DISCLAIMERS_FI,
        RELEASE_CONTACTS=kide.RELEASE_CONTACTS,
    )
    release = _load_release(writer, company, users, stderr=stderr, spec=english)
    _load_release(writer, company, users, stderr=stderr, spec=finnish, translation_of=release)
    return release
