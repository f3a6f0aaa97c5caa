"""Moments in the admin, written the way the interface's language writes them (CLDR, through Babel).

    {{ event.at|moment:company.time_zone }}        'Mon 1 Jul 2024, 07:30 CEST'     'lun. 1 juil. 2024, 07:30 CEST'
    {{ event.at|moment_short:company.time_zone }}  '1 Jul, 07:30'                   '1 juil., 07:30'
    {{ value|ago }}                                'just now', '3 minutes ago'     'à l’instant', 'il y a 3 minutes'

Django's "M" and "D" date formats are English-shaped abbreviations title-cased in every language ("Déc"); the
skeletons here let each language order and abbreviate as its readers expect.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton, get_datetime_format
from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

register = template.Library()


# The newsroom's English is European: "1 Jul 2024", not "Jul 1, 2024".
REGIONS = {"en": "en_GB"}


def _locale() -> Locale:
    language = translation.get_language() or settings.LANGUAGE_CODE
    try:
        return Locale.parse(REGIONS.get(language, language.replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        return Locale.parse(settings.LANGUAGE_CODE)


def _local(value: dt.datetime, zone: str) -> dt.datetime:
    if zone:
        return value.astimezone(zoneinfo.ZoneInfo(zone))
    return timezone.localtime(value)


def in_words(value: dt.datetime | None, zone: str = "", date: str = "yMMMEd", time: str = "Hm", with_zone=True) -> str:
    """`value` in `zone` as CLDR skeletons `date` and `time` write it, joined as the language joins them."""
    if not value:
        return ""
    local, locale = _local(value, zone), _locale()
    parts = {"date": format_skeleton(date, local, locale=locale) if date else ""}
    parts["time"] = format_skeleton(time, local, locale=locale) if time else ""
    if parts["date"] and parts["time"]:
        text = get_datetime_format("medium", locale=locale).replace("{1}", parts["date"]).replace("{0}", parts["time"])
    else:
        text = parts["date"] or parts["time"]
    return f"{text} {local:%Z}" if with_zone else text


@register.filter
def moment(value, zone: str = "") -> str:
    """Weekday, date, time and the zone's abbreviation, in `zone` (a time zone name) or the current one."""
    return in_words(value, zone)


@register.filter
def moment_short(value, zone: str = "") -> str:
    """Day, month and time, in `zone`: for lines where the year goes without saying."""
    return in_words(value, zone, "MMMd", with_zone=False)


@register.filter
def day(value, zone: str = "") -> str:
    """The date alone: '1 Jul 2024', '1 juil. 2024'."""
    return in_words(value, zone, "yMMMd", "", with_zone=False)


@register.filter
def ago(value) -> str:
    """How long ago, never '0 minutes ago': less than a minute is 'just now'."""
    if not value:
        return ""
    if timezone.now() - value < dt.timedelta(minutes=1):
        return _("just now")
    return naturaltime(value)


# The editorial roles (migration 0002's groups), in the interface's language.
ROLE_LABELS = {
    "Writer": pgettext_lazy("role", "Writer"),
    "Reviewer": pgettext_lazy("role", "Reviewer"),
    "Publisher": pgettext_lazy("role", "Publisher"),
}


@register.filter
def roles(user) -> list[str]:
    """The user's roles as the header shows them, without the one their login name already says."""
    name = (user.get_full_name() or user.get_username()).strip().lower()
    labels = []
    for group in user.groups.order_by("name"):
        if group.name.lower() == name:
            continue
        labels.append(str(ROLE_LABELS.get(group.name, group.name)))
    return labels
