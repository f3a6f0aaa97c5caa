"""Dates and times as a release prints them: CLDR's forms per language, the zone abbreviation true that day."""

import datetime as dt
import zoneinfo

import pytest

from releases.rendering.dates import format_date, format_time, month_index, weekday_names

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("language", "day", "expected"),
    [
        ("en", dt.date(2024, 7, 1), "July 1, 2024"),
        ("fr", dt.date(2024, 7, 1), "1er juillet 2024"),
        ("fr", dt.date(2024, 7, 2), "2 juillet 2024"),
        ("de", dt.date(2024, 3, 19), "19. März 2024"),
        ("es", dt.date(2024, 3, 19), "19 de marzo de 2024"),
        ("fi", dt.date(2024, 3, 1), "1. maaliskuuta 2024"),
    ],
)
def test_a_date_is_written_as_its_language_writes_it(language, day, expected):
    assert format_date(day, language) == expected


@pytest.mark.parametrize(
    ("language", "moment", "expected"),
    [
        ("en", dt.datetime(2024, 7, 1, 7, 30, tzinfo=PARIS), "7:30 am CEST"),
        ("en", dt.datetime(2024, 1, 15, 18, 5, tzinfo=PARIS), "6:05 pm CET"),
        ("fr", dt.datetime(2024, 7, 1, 7, 30, tzinfo=PARIS), "7h30 CEST"),
        ("de", dt.datetime(2024, 7, 1, 7, 30, tzinfo=PARIS), "07:30 CEST"),
        ("fi", dt.datetime(2024, 1, 15, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Helsinki")), "9.00 EET"),
    ],
)
def test_a_time_carries_the_zone_abbreviation_true_on_that_date(language, moment, expected):
    assert format_time(moment, language) == expected


def test_an_empty_or_unknown_language_falls_back_to_the_sites_own():
    assert format_date(dt.date(2024, 7, 1), "") == "July 1, 2024"
    assert format_date(dt.date(2024, 7, 1), "xx") == "July 1, 2024"


def test_the_checks_read_months_and_weekdays_from_the_same_data():
    assert month_index("fr")["juillet"] == month_index("fr")["juil"] == 7
    assert month_index("fr")["aout"] == month_index("fr")["août"] == 8
    assert month_index("de")["märz"] == 3
    assert weekday_names("fr")[0] == "lundi"
    # "May" and "mai" are words before they are abbreviations: only the full month name counts.
    assert month_index("en")["may"] == 5 and "mai" not in month_index("en")
