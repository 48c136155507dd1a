"""Reading the numbers a German or English text states, as exact values.

A number is read with its decimals and its scale word: "1,2 Millionen" (German) and "1.2
million" (English) are both 1,200,000, and neither is 1,900,000 or 1.2. Digits follow the
text's language (German ``1.200,5``, English ``1,200.5``). Number words are read with text2num
("fünf", "twenty-one", "zweitausend"), German compounds that start with one too
("zwölfjähriges", "dreifach"), and dates as their day, month and year ("13.09.2024").

Two readings of a text:

* :func:`stated_values` - everything the text could be saying (the article side of a check:
  generous, so that a correct claim is never charged): a figure whose separator could mean
  thousands or decimals is read both ways, and a scaled figure also as the bare figure ("502"
  of "502 Millionen");
* :func:`claimed_values` - what a written claim says (the model's side: strict): each figure in
  its own language's notation with its scale; a lone "ein"/"one" is the indefinite article, not
  a count.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from summarizer.datamodel.types import LANGUAGES, Language

Values = frozenset[Decimal]

#: Scale words after a figure, per language ("Billion" is 10^12 in German, "billion" 10^9).
SCALES: dict[Language, dict[str, int]] = {
    "de": {
        "tausend": 10**3,
        "mio": 10**6,
        "million": 10**6,
        "millionen": 10**6,
        "mrd": 10**9,
        "milliarde": 10**9,
        "milliarden": 10**9,
        "billion": 10**12,
        "billionen": 10**12,
    },
    "en": {
        "thousand": 10**3,
        "million": 10**6,
        "millions": 10**6,
        "m": 10**6,
        "bn": 10**9,
        "billion": 10**9,
        "billions": 10**9,
        "trillion": 10**12,
    },
}
_SPACES = "\u202f\u00a0 ’'"
_FIGURE = re.compile(
    rf"(?<![\w,])(?<!\d\.)(\d{{1,3}}(?:[.,{_SPACES}]\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?:\s*([A-Za-zÄÖÜäöü]+)\.?)?"
)
_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})?(?!\d)")
_GERMAN_NUMBER_WORDS = {
    "ein": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "elf": 11,
    "zwölf": 12,
    "dreizehn": 13,
    "vierzehn": 14,
    "fünfzehn": 15,
    "sechzehn": 16,
    "siebzehn": 17,
    "achtzehn": 18,
    "neunzehn": 19,
    "zwanzig": 20,
    "dreißig": 30,
    "vierzig": 40,
    "fünfzig": 50,
    "sechzig": 60,
    "siebzig": 70,
    "achtzig": 80,
    "neunzig": 90,
    "hundert": 100,
    "tausend": 1000,
}
_GERMAN_COMPOUND = re.compile(
    r"\b("
    + "|".join(sorted(_GERMAN_NUMBER_WORDS, key=len, reverse=True))
    + r")(jährig|fach|stellig|köpfig|tägig|wöchig|monatig|stündig|minütig|malig|teilig"
    r"|stöckig|spurig|prozentig|seitig|sitzig)\w*",
    re.IGNORECASE,
)
_ENGLISH_UNIT_HYPHEN = re.compile(
    r"-(?=(?:year|month|week|day|hour|minute|storey|story|member|point|seat|page)s?\b)",
    re.IGNORECASE,
)
_DIGIT_RUN = re.compile(r"\d+(?:[.,]\d+)?")


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _readings(figure: str, language: Language, *, both_ways: bool) -> set[Decimal]:
    """The values a figure written in digits means in ``language`` (``both_ways``: also what it
    would mean in the other language's notation)."""
    plain = re.sub(f"[{_SPACES}]", "", figure)
    readings: set[Decimal] = set()
    for notation in LANGUAGES if both_ways else (language,):
        thousands, decimal = (".", ",") if notation == "de" else (",", ".")
        grouped = re.fullmatch(
            rf"(\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+)(?:{re.escape(decimal)}(\d+))?", plain
        )
        if grouped:
            whole, fraction = grouped.group(1).replace(thousands, ""), grouped.group(2)
            readings.add(Decimal(f"{whole}.{fraction}" if fraction else whole))
        elif re.fullmatch(r"\d+(?:[.,]\d+)?", plain):
            readings.add(Decimal(plain.replace(",", ".")))
    return readings


def _figures(
    text: str, language: Language, *, both_ways: bool
) -> tuple[set[Decimal], set[Decimal], str]:
    """(values, bare values of scaled figures) of the figures in digits and of dates, and
    ``text`` with them blanked out (so that the number-word reader reads the rest only)."""
    values: set[Decimal] = set()
    bare: set[Decimal] = set()
    blanked = list(text)

    def blank(match: re.Match[str]) -> None:
        blanked[match.start() : match.end()] = " " * (match.end() - match.start())

    for match in _DATE.finditer(text):
        values |= {Decimal(group) for group in match.groups() if group}
        blank(match)
    for match in _FIGURE.finditer("".join(blanked)):
        readings = _readings(match.group(1), language, both_ways=both_ways)
        scale = SCALES[language].get((match.group(2) or "").casefold())
        if scale is None:
            values |= readings
            continue
        values |= {value * scale for value in readings}
        bare |= readings
        blank(match)
    return values, bare, "".join(blanked)


#: Plural scale words: without a number before them they say "many", not a figure.
_VAGUE_WORD = re.compile(
    r"\b(?:millions|billions|thousands|hundreds|dozens|Millionen|Milliarden|Tausende|Hunderte|"
    r"Dutzende)\b",
    re.IGNORECASE,
)


def _without_vague_amounts(text: str, language: Language) -> str:
    """``text`` without plural scale words that no number precedes ("worth millions")."""
    from text_to_num import alpha2digit

    def keep_or_drop(match: re.Match[str]) -> str:
        before = text[: match.start()].split()
        previous = before[-1] if before else ""
        counted = previous[:1].isdigit() or alpha2digit(previous, language, threshold=0) != previous
        return match.group() if counted else " " * len(match.group())

    return _VAGUE_WORD.sub(keep_or_drop, text)


def _words(text: str, language: Language) -> set[Decimal]:
    """Values of number words (text2num), and of German compounds starting with one."""
    from text_to_num import alpha2digit

    prepared = _ENGLISH_UNIT_HYPHEN.sub(" ", text) if language == "en" else text
    prepared = _without_vague_amounts(prepared, language)
    converted = alpha2digit(prepared, language, threshold=0)
    found = {d for d in map(_decimal, _DIGIT_RUN.findall(converted)) if d is not None}
    found -= {d for d in map(_decimal, _DIGIT_RUN.findall(prepared)) if d is not None}
    if language == "de":
        found |= {
            Decimal(_GERMAN_NUMBER_WORDS[m.group(1).casefold()])
            for m in _GERMAN_COMPOUND.finditer(text)
        }
    return found


@lru_cache(maxsize=512)
def stated_values(text: str, language: Language) -> Values:
    """Every value ``text`` (written in ``language``) could be stating."""
    values, bare, rest = _figures(text, language, both_ways=True)
    return frozenset(values | bare | _words(rest, language))


@lru_cache(maxsize=512)
def claimed_values(text: str, language: Language) -> Values:
    """The values a claim written in ``language`` states."""
    values, _bare, rest = _figures(text, language, both_ways=False)
    words = _words(rest, language)
    if Decimal(1) not in values:
        words.discard(Decimal(1))
    return frozenset(values | words)


def term_values(term: str) -> Values | None:
    """The values a match term names when it is a number, else None: a figure, optionally with
    a scale word ("23", "6,8", "502 Milliarden", "2.4 million"; each notation and scale word
    read in the language it belongs to), or number words ("dreiundzwanzig", "twenty-three")."""
    from text_to_num import alpha2digit

    stripped = term.strip()
    figure = _FIGURE.fullmatch(stripped)
    if figure:
        scale_word = (figure.group(2) or "").casefold()
        values: set[Decimal] = set()
        for language in LANGUAGES:
            if not scale_word or scale_word in SCALES[language]:
                values |= claimed_values(stripped, language)
        return frozenset(values) or None
    for language in LANGUAGES:
        converted = alpha2digit(stripped, language, threshold=0)
        if re.fullmatch(r"\d+", converted):
            return frozenset({Decimal(converted)})
    return None


def missing_values(claimed: Values, stated: Values) -> list[Decimal]:
    """The claimed values that are not among the stated ones, in ascending order."""
    return sorted(value for value in claimed if value not in stated)


@lru_cache(maxsize=512)
def _digit_values(text: str, language: Language) -> Values:
    """What :func:`stated_values` reads from figures and dates alone (no number words)."""
    values, bare, _rest = _figures(text, language, both_ways=True)
    return frozenset(values | bare)


def unstated(claimed: Values, text: str, language: Language) -> list[Decimal]:
    """The ``claimed`` values that ``text`` (in ``language``) does not state, ascending. The
    text's number words are read only when its figures leave a claim unaccounted for: most
    numbers in news are figures, and reading number words is the costly part."""
    missing = [value for value in claimed if value not in _digit_values(text, language)]
    if missing:
        stated = stated_values(text, language)
        missing = [value for value in missing if value not in stated]
    return sorted(missing)


_ZERO_CUES = re.compile(
    r"\b(kein\w*|niemand|no one|nobody|none|no deaths|no casualties|unverletzt|unharmed)\b",
    re.IGNORECASE,
)


def states_count(value: int, text: str, language: Language) -> bool:
    """True when ``text`` states the count ``value`` (0 also when it says "no one")."""
    if not unstated(frozenset({Decimal(value)}), text, language):
        return True
    return value == 0 and _ZERO_CUES.search(text) is not None
