"""When an event happened, as a date: the article's time words resolved against its
publication date.

Rules, first match wins, over the event's time text and then its evidence sentence:

* an explicit date ("13. März 2025", "March 13", "13.03.2025", "2025-03-13"; dateparser reads
  it, a date without a year is the latest one not after publication) -> that day;
* a month ("im März 2025", "in March") -> its first day, precision ``month``;
* a weekday ("am Dienstag", "Tuesday's", "Freitagabend", "in der Nacht zum Sonntag") -> the
  latest such day on or before publication, precision ``day``;
* "vorgestern" -> two days before; "gestern", "yesterday" -> the day before publication;
* "heute", "today", "in der Nacht", "overnight", "am Morgen", "this morning", ... -> the
  publication day;
* "am Wochenende", "the weekend" -> the latest Saturday, precision ``week``.

Nothing found: the publication day with precision ``published`` (the event happened on or
shortly before it). No publication date: only explicit dates resolve.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

Precision = Literal["day", "week", "month", "published"]

_WEEKDAYS = {
    "montag": 0,
    "dienstag": 1,
    "mittwoch": 2,
    "donnerstag": 3,
    "freitag": 4,
    "samstag": 5,
    "sonnabend": 5,
    "sonntag": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_MONTHS = {
    "januar": 1, "january": 1, "februar": 2, "february": 2, "märz": 3, "march": 3, "april": 4,
    "mai": 5, "may": 5, "juni": 6, "june": 6, "juli": 7, "july": 7, "august": 8,
    "september": 9, "oktober": 10, "october": 10, "november": 11, "dezember": 12,
    "december": 12,
}  # fmt: skip
_MONTH_NAMES = "|".join(_MONTHS)
_EXPLICIT = re.compile(
    rf"\b(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}|\d{{1,2}}\.? (?:{_MONTH_NAMES})"
    rf"(?: \d{{4}})?|(?:{_MONTH_NAMES}) \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?)\b",
    re.IGNORECASE,
)
_MONTH_ONLY = re.compile(rf"\b(?:im|in|seit|since) ({_MONTH_NAMES})(?: (\d{{4}}))?\b", re.I)
_WEEKDAY = re.compile(rf"\b({'|'.join(_WEEKDAYS)})", re.IGNORECASE)
_BEFORE_YESTERDAY = re.compile(r"\bvorgestern\b", re.IGNORECASE)
_YESTERDAY = re.compile(r"\b(?:gestern|yesterday)", re.IGNORECASE)
_SAME_DAY = re.compile(
    r"\b(?:heute|today|tonight|in der nacht|overnight|am morgen|am abend|am mittag|"
    r"this morning|this evening|this afternoon|heute morgen)\b",
    re.IGNORECASE,
)
_WEEKEND = re.compile(r"\b(?:wochenende|weekend)\b", re.IGNORECASE)


def _latest(published: date, weekday: int) -> date:
    return published - timedelta(days=(published.weekday() - weekday) % 7)


def _explicit(text: str, published: date | None) -> date | None:
    match = _EXPLICIT.search(text)
    if match is None:
        return None
    import dateparser

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first"}
    if published is not None:
        from datetime import datetime

        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    parsed = dateparser.parse(match.group(0), languages=["de", "en"], settings=settings)
    return parsed.date() if parsed else None


def resolve(
    texts: list[str | None], published: date | None
) -> tuple[date | None, Precision | None]:
    """The date and its precision of an event described by ``texts`` (its time text first,
    then its evidence sentence), published on ``published``."""
    for text in (t for t in texts if t):
        found = _explicit(text, published)
        if found is not None:
            return found, "day"
        month = _MONTH_ONLY.search(text)
        if month is not None:
            year = (
                int(month.group(2)) if month.group(2) else (published.year if published else None)
            )
            if year is not None:
                number = _MONTHS[month.group(1).casefold()]
                if published is not None and not month.group(2) and number > published.month:
                    year -= 1
                return date(year, number, 1), "month"
        if published is None:
            continue
        weekday = _WEEKDAY.search(text)
        if weekday is not None:
            return _latest(published, _WEEKDAYS[weekday.group(1).casefold()]), "day"
        if _BEFORE_YESTERDAY.search(text):
            return published - timedelta(days=2), "day"
        if _YESTERDAY.search(text):
            return published - timedelta(days=1), "day"
        if _SAME_DAY.search(text):
            return published, "day"
        if _WEEKEND.search(text):
            return _latest(published, 5), "week"
    if published is not None:
        return published, "published"
    return None, None


def parse_published(value: str | None) -> date | None:
    """A publication date from a record's ``date`` ("2025-03-04", "2025-03-04T10:00:00+01:00")."""
    if not value:
        return None
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
