"""Time expressions of a news sentence ("am Donnerstagabend", "in der Nacht", "early on
Sunday", "im dritten Quartal", "bis Ende 2027"), as written: what an event's ``time.text`` may
be. A phrase that is not one ("nach Behördenangaben") is never returned.

Pure functions over one sentence; the first expression of the sentence is the event's time.
"""

from __future__ import annotations

import re

from summarizer.datamodel.types import Language

_WEEKDAYS = {
    "de": r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag)"
    r"(?:abend|morgen|nachmittag|vormittag|mittag|nacht)?",
    "en": r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)",
}
_MONTHS = {
    "de": r"(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|"
    r"Dezember)",
    "en": r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)",
}
_EXPRESSIONS = {
    "de": [
        rf"(?:(?:am|seit|bis|ab|von)\s+)?(?:vergangenen\s+|kommenden\s+|diesem\s+)?"
        rf"{_WEEKDAYS['de']}",
        r"in der (?:vergangenen |gestrigen |heutigen )?Nacht(?: zu(?:m)? \w+)?",
        r"(?:am|seit dem|bis zum|zum) Wochenende",
        r"(?:heute|gestern|vorgestern|morgen)(?:abend|früh|morgen|nachmittag)?",
        r"(?:im|seit dem|bis zum) (?:ersten|zweiten|dritten|vierten|letzten) Quartal",
        r"(?:im |in der |seit der |bis zur )?(?:vergangenen|kommenden|nächsten|letzten|"
        r"vorigen) (?:Jahr|Woche|Monat|Wochenende)",
        rf"(?:am |bis zum |seit dem |vom )?\d{{1,2}}\. {_MONTHS['de']}(?: \d{{4}})?",
        rf"(?:im |seit |bis |Anfang |Mitte |Ende ){_MONTHS['de']}(?: \d{{4}})?",
        r"(?:bis |seit |ab |im Jahr |Ende |Anfang |Mitte )(?:Ende |Anfang |Mitte )?(?:19|20)\d\d",
        r"(?:in diesem|im kommenden|im vergangenen|in diesem) Jahr",
        r"(?:seit|vor) (?:\w+ )?(?:Tagen|Wochen|Monaten|Jahren|Stunden)",
    ],
    "en": [
        rf"(?:(?:early|late) )?(?:(?:on|since|by|until|from|last|next|this)\s+)?"
        rf"{_WEEKDAYS['en']}(?: (?:night|morning|evening|afternoon))?",
        r"(?:overnight|last night|tonight|yesterday|today|this week|last week|next week|"
        r"this year|last year|next year|this month|last month)",
        r"(?:in|since|by) the (?:first|second|third|fourth|last) quarter",
        rf"(?:on |by |since |from )?{_MONTHS['en']} \d{{1,2}}(?:, \d{{4}})?",
        rf"(?:on |by |since |from )?\d{{1,2}} {_MONTHS['en']}(?: \d{{4}})?",
        rf"(?:in |since |by |early |late |mid-)?{_MONTHS['en']}(?: \d{{4}})?",
        r"(?:by |since |until |in )(?:the end of |early |late )?(?:19|20)\d\d",
        r"(?:for|over) the past (?:\w+ )?(?:days|weeks|months|years|hours)",
    ],
}
_PATTERNS = {
    language: re.compile(
        "|".join(f"(?:{p})" for p in patterns),
        re.IGNORECASE,
    )
    for language, patterns in _EXPRESSIONS.items()
}
_BOUNDARY = re.compile(r"\w")


def time_expressions(sentence: str, language: Language) -> list[str]:
    """The time expressions of ``sentence`` in their order, each at word boundaries."""
    found = []
    for match in _PATTERNS[language].finditer(sentence):
        start, end = match.span()
        before = sentence[start - 1 : start]
        after = sentence[end : end + 1]
        if (before and _BOUNDARY.match(before)) or (after and _BOUNDARY.match(after)):
            continue
        found.append(match.group().strip())
    return found


def event_time(sentence: str, language: Language) -> str | None:
    """The first time expression of ``sentence``, or None."""
    found = time_expressions(sentence, language)
    return found[0] if found else None


def is_time_expression(text: str, language: Language) -> bool:
    """True when ``text`` contains a time expression (an event's ``time.text`` must)."""
    return bool(time_expressions(text, language))
