"""Small pieces the admin's screens share: badges, moments in the company's zone, the form's scope."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from releases.models import Company, Release
from releases.scoping import scoped

Status = Release.Status


def house_company(user=None) -> Company | None:
    """The company whose newsroom this is: the first one `user` works for (most installs have exactly one)."""
    return scoped(Company.objects.order_by("pk"), user, "id").first()


def status_badge(release: Release) -> str:
    """The status as a coloured badge; a published release not yet public says “scheduled”."""
    status, label = release.status, release.get_status_display()
    if status == Status.PUBLISHED and release.publication_at and release.publication_at > timezone.now():
        status, label = "scheduled", _("Scheduled")
    return format_html('<span class="badge badge-{}">{}</span>', status, label)


def local_moment(release: Release) -> str:
    if release.publication_at is None:
        return _("no publication moment yet")
    local = release.local_publication_at
    return f"{formats.date_format(local, 'l j F Y, H:i')} {local:%Z}"


def company_zone(company_id: int | None):
    """The company's time zone, in which its people read and type moments."""
    company = Company.objects.filter(pk=company_id).only("time_zone").first() if company_id else None
    return company.zone if company else timezone.get_current_timezone()


def next_morning(company_id: int | None) -> dt.datetime:
    """The next working day at 07:30 in the company's time zone: when most releases go out."""
    zone = company_zone(company_id)
    day = timezone.now().astimezone(zone).date() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(7, 30), tzinfo=zone)


def release_scope(request, obj: Release | None = None) -> tuple[int | None, str]:
    """The company and language whose parts the form offers: what the form posts, else the release's."""
    data = request.POST if request.method == "POST" else request.GET
    company = data.get("company", "")
    language = data.get("language", "")
    company_id = int(company) if company.isascii() and company.isdigit() and len(company) < 19 else None
    if language not in settings.CONTENT_LANGUAGES:
        language = ""
    if company_id is None and obj is not None:
        company_id = obj.company_id
    if company_id is None:
        default = house_company(request.user)
        company_id = default.pk if default else None
    return company_id, language or (obj.language if obj is not None else "en")


# The parts of the release form as it names them (the checks panel, the trail, the history pages).
PART_NAMES = {
    "headline": gettext_lazy("Headline"),
    "subheadline": gettext_lazy("Subheadline"),
    "company": gettext_lazy("Company"),
    "language": gettext_lazy("Language"),
    "publication_at": gettext_lazy("Publication moment"),
    "body": gettext_lazy("Text"),
    "contacts": gettext_lazy("Contacts"),
    "disclaimers": gettext_lazy("Disclaimers"),
    "references": gettext_lazy("References"),
    "topic_abouts": gettext_lazy("Topic Abouts"),
    "company_about": gettext_lazy("Company About"),
    "images": gettext_lazy("Images"),
}


def changed_words(names: list[str]) -> str:
    """The parts an edit changed, as the form names them: 'Headline, References'."""
    words = []
    for name in names:
        known = PART_NAMES.get(name)
        if known is None:
            try:
                known = Release._meta.get_field(name).verbose_name
            except FieldDoesNotExist:
                known = name.replace("_", " ")
        words.append(str(known)[:1].upper() + str(known)[1:])
    return ", ".join(words)
