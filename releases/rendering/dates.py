"""Dates and times as a release prints them, in its language, from CLDR's locale data (Babel).

    format_date(date, "en")            'July 1, 2024'      (CLDR's long date of the language)
    format_date(date, "fr")            '1er juillet 2024'  (the first of the month as the catalogue writes it)
    format_time(moment, "en")          '7:30 am CEST'      (the zone's abbreviation on that date)
    format_time(moment, "fr")          '7h30 CEST'
    month_names("fr"), weekday_names("fr")   what the checks read dates with

The only data kept here is each language's house convention for times where it differs from CLDR's
short time; everything else comes from CLDR or from the translation catalogues (`locale/`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.dates import DateTimeFormat, get_date_format, get_day_names, get_month_names, get_time_format, parse_pattern
from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext


@dataclass(frozen=True)
class TimeStyle:
    """How a language's releases write the time of day, when it is not CLDR's short time."""

    pattern: str
    lowercase_period: bool = False  # "am" rather than "AM"


# Wire conventions: "7:30 am" in English releases, "7h30" in French ones.
TIME_STYLES = {"en": TimeStyle("h:mm a", lowercase_period=True), "fr": TimeStyle("H'h'mm")}


@functools.cache
def _locale(language: str) -> Locale:
    """CLDR's data for `language`; the site's default language for an empty or unknown one."""
    try:
        return Locale.parse((language or settings.LANGUAGE_CODE).replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse(settings.LANGUAGE_CODE)


class _Fields(DateTimeFormat):
    """CLDR's fields, with the first day of the month written as the language's catalogue writes it."""

    def __init__(self, value, locale, first: str):
        super().__init__(value, locale)
        self.first = first

    def __getitem__(self, name):
        if name == "d" and self.value.day == 1:
            return self.first
        return super().__getitem__(name)


def _first_of_month(language: str) -> str:
    with translation.override(language):
        # Translators: the first day of a month as dates write it ("1er" in French, "1" in most languages).
        return pgettext("day of the month", "1")


def format_date(value: dt.date, language: str) -> str:
    """The date in the language's long form: 'July 1, 2024', '1er juillet 2024', '1. Juli 2024'."""
    pattern = get_date_format("long", locale=_locale(language))
    return pattern.format % _Fields(value, _locale(language), _first_of_month(language))


def format_time(value: dt.datetime, language: str) -> str:
    """The time of day and the zone's abbreviation on that date: '7:30 am CEST', '7h30 CEST'."""
    style = TIME_STYLES.get(language)
    locale = _locale(language)
    pattern = parse_pattern(style.pattern) if style else get_time_format("short", locale=locale)
    text = pattern.format % DateTimeFormat(value, locale)
    if style and style.lowercase_period:
        text = text.replace(locale.day_periods["format"]["abbreviated"]["am"], "am").replace(
            locale.day_periods["format"]["abbreviated"]["pm"], "pm"
        )
    return f"{text} {value.tzname() or ''}".strip()


@functools.cache
def month_names(language: str) -> tuple[str, ...]:
    """The twelve month names in `language`, lower-case, January first."""
    names = get_month_names("wide", locale=_locale(language))
    return tuple(names[n].lower() for n in range(1, 13))


@functools.cache
def weekday_names(language: str) -> tuple[str, ...]:
    """The seven weekday names in `language`, lower-case, Monday first."""
    names = get_day_names("wide", locale=_locale(language))
    return tuple(names[n].lower() for n in range(7))


def without_accents(text: str) -> str:
    """'février' → 'fevrier': how names are sometimes typed."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@functools.cache
def month_index(language: str) -> dict[str, int]:
    """Every way `language` names a month, lower-case, to its number: 'juillet', 'juil', 'aout', 'sept' …"""
    locale = _locale(language)
    index: dict[str, int] = {}
    # Both contexts: Finnish writes "3. maaliskuuta 2025" but "helmikuu 2025" (a month alone).
    for width, context in (("wide", "format"), ("abbreviated", "format"), ("wide", "stand-alone")):
        for number, name in get_month_names(width, context=context, locale=locale).items():
            for variant in {name.lower(), name.lower().rstrip("."), without_accents(name.lower()).rstrip(".")}:
                # "may" and "mai" are words before they are months: only their full name counts.
                if width == "abbreviated" and variant == month_names(language)[number - 1]:
                    continue
                index.setdefault(variant, number)
    return index


@functools.cache
def date_connectors(language: str) -> tuple[str, ...]:
    """The words a long date of `language` puts between its parts ('de' in '1 de julio de 2024')."""
    pattern = get_date_format("long", locale=_locale(language)).pattern
    return tuple(dict.fromkeys(word for word in pattern.split("'")[1::2] if word.strip()))


def month_first(language: str) -> bool:
    """True when `language` writes the month before the day ('July 1, 2024')."""
    pattern = get_date_format("long", locale=_locale(language)).pattern
    return pattern.index("M") < pattern.index("d")


@functools.cache
def day_periods(language: str) -> tuple[str, str]:
    """How `language` abbreviates the morning and the afternoon ('AM', 'PM')."""
    periods = _locale(language).day_periods["format"]["abbreviated"]
    return periods.get("am", "AM"), periods.get("pm", "PM")


@functools.cache
def number_symbols(language: str) -> tuple[str, str]:
    """The decimal sign and the digit-group separator of `language`: ('.', ',') in English, (',', ' ') in French."""
    symbols = _locale(language).number_symbols["latn"]
    return symbols["decimal"], symbols["group"]


@functools.cache
def numeric_date_format(language: str) -> str:
    """CLDR's short date pattern of `language` ('d.M.y', 'dd/MM/y', 'M/d/yy'): the order and separator of the
    figures in a numeric date."""
    return get_date_format("short", locale=_locale(language)).pattern


@functools.cache
def clock_separator(language: str) -> str:
    """What stands between hours and minutes in the language's usual time ('.' in Finnish and Danish)."""
    house = TIME_STYLES.get(language)
    pattern = house.pattern if house else get_time_format("short", locale=_locale(language)).pattern
    between = re.sub(r"'[^']*'", "", pattern.split("m")[0]).strip("Hhk ")
    return between[:1]


def uses_time_style(language: str, letter: str) -> bool:
    """True when the language's house time style writes `letter` between hours and minutes ('h' in French)."""
    style = TIME_STYLES.get(language)
    return bool(style) and f"'{letter}'" in style.pattern


# -- house styles: the same moment written the way a company writes it (releases.models.HouseStyle) -----------


def format_date_as(value: dt.date, language: str, style: str = "") -> str:
    """The date in a house style: '' the language's long date, 'mdy' 'March 2, 2020', 'dmy' '2 March 2020',
    'numeric' the language's numeric date ('2.3.2020', '02.03.2020'), 'iso' '2020-03-02'."""
    if not style:
        return format_date(value, language)
    if style == "iso":
        return value.isoformat()
    locale = _locale(language)
    if style == "numeric":
        pattern = get_date_format("short", locale=locale).pattern
        pattern = pattern.replace("yy", "y") if "yyyy" not in pattern else pattern
        return parse_pattern(pattern).format % DateTimeFormat(value, locale)
    month = get_month_names("wide", context="format", locale=locale)[value.month]
    day = _first_of_month(language) if value.day == 1 else str(value.day)
    if style == "mdy":
        return f"{month} {day}, {value.year}"
    return f"{day} {month} {value.year}"


def format_clock(value: dt.datetime, language: str, style: str = "") -> str:
    """The time of day alone: '' the language's usual form, else a CLDR pattern; lower-case 'a' writes 'am'."""
    locale = _locale(language)
    if not style:
        house = TIME_STYLES.get(language)
        pattern = parse_pattern(house.pattern) if house else get_time_format("short", locale=locale)
        lower = bool(house and house.lowercase_period)
    else:
        lower = style.endswith(" a")
        pattern = parse_pattern(style.replace(" A", " a"))
    text = pattern.format % DateTimeFormat(value, locale)
    am, pm = day_periods(language)
    if lower:
        text = text.replace(am, am.lower()).replace(pm, pm.lower())
    return text


def zone_name(value: dt.datetime, language: str, style: str = "abbreviation") -> str:
    """The zone as a house style names it: 'CEST' (true on that date), 'CET'/'ET' (generic), a city time, or ''."""
    if style == "none" or value.tzinfo is None:
        return ""
    if style == "generic":
        from babel.dates import get_timezone_name

        for english in ("en", "en_GB"):
            name = get_timezone_name(value.tzinfo, "short", zone_variant="generic", locale=english)
            if name.isupper() and " " not in name and len(name) <= 5:
                return name
        # No generic abbreviation in CLDR: the zone's standard-time one (CET, EET, GMT).
        winter = dt.datetime(value.year, 1, 15, 12, tzinfo=value.tzinfo)
        return winter.tzname() or ""
    if style == "city":
        from babel.dates import get_timezone_location

        city = get_timezone_location(value.tzinfo, locale=_locale(language), return_city=True)
        with translation.override(language):
            # Translators: a named city time in a dateline, e.g. "9:00 am Helsinki time".
            return pgettext("time zone", "%(city)s time") % {"city": city}
    return value.tzname() or ""


def format_time_as(
    value: dt.datetime, language: str, style: str = "", zone_style: str = "abbreviation", parentheses: bool = False
) -> str:
    """The time of day and its zone in a house style: '9.00 AM (EET)', '8:00 AM ET', '7h30 CEST'."""
    zone = zone_name(value, language, zone_style)
    if zone and parentheses:
        zone = f"({zone})"
    return f"{format_clock(value, language, style)} {zone}".strip()
