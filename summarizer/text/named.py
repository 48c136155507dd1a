"""Names an article mentions that rules find without a model: places and abbreviations.

A 1.5B model lists a handful of an article's names and misses the rest (the places above
all); these rules read them from the text, for :mod:`summarizer.pipeline.entities`:

* :func:`places_named`: countries (English and German names, "USA"), first-level divisions
  ("Ohio", "Bayern"), and towns of the gazetteer - one of :data:`ANY_MENTION_POPULATION`+
  inhabitants wherever its name stands, a smaller one (:data:`CUED_POPULATION`+) only after
  "in", "near", "Stadt" ... A name the lexicon reads as a common word ("Essen", "Mobile",
  "Reading") is no place without such a cue; a dateline ("LONDON -") is not a mention; in
  English a place word inside a longer name ("New Mexico", "Bank of England") is not one.
  German genitives name the place ("Russlands" -> "Russland").
* :func:`abbreviations_named`: capitalized abbreviations ("KCNA", "AFP", "SPD"), with the
  name they stand for where the article spells it out ("Bundesgerichtshof (BGH)"): not part
  of a compound or a longer name ("US-Präsident", "SC Freiburg", "LHS 1140 b"), not a Roman
  numeral or a court's file sign ("VIII ZR"), not a generic term (:data:`GENERIC`).
* :func:`group_cued`: a name the article introduces as an armed or criminal group ("the
  paramilitary Rapid Support Forces", "eine Hackergruppe namens Black Lantern"; not an
  "environmental group", which is an organization).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from summarizer.datamodel.types import Language
from summarizer.text import gazetteer
from summarizer.text.lexicon import known_word
from summarizer.text.places import fold
from summarizer.text.segmentation import sentences
from summarizer.text.speakers import DATELINE

#: A town named anywhere (no "in" before it) has at least this many inhabitants.
ANY_MENTION_POPULATION = 100_000
#: A town named after "in", "near", "Stadt" ... has at least this many.
CUED_POPULATION = 15_000

#: Abbreviations that are terms, not names of anyone.
_GENERIC_TEXT = "AI KI IT CEO CFO GDP BIP TV PR HR DNA PC USD EUR UTC MEZ MESZ OK PS"
GENERIC = frozenset(_GENERIC_TEXT.split())

_WORD = re.compile(r"[A-ZÄÖÜ][\w’'-]*")
_ABBREVIATION = re.compile(r"(?<![\w-])[A-ZÄÖÜ]{2,6}(?![\w-])")
_ROMAN = re.compile(r"^[IVXLC]+$")
_GROUP_CUE = re.compile(
    r"\b(?:(?:hacker|terror|rebellen|täter)-?gruppe|gruppierung|miliz|bande|rebellen|"
    r"paramilitärische[n]?|(?:criminal|armed|militant|rebel|hacker|hacking|terrorist|"
    r"extremist|ransomware)\s+(?:group|gang|network)|gang|militia|rebels|paramilitary|"
    r"insurgents)"
    r"(?:\s+(?:der|die|namens|called|calling\s+itself|named|known\s+as))?\s*[„\"“]?$",
    re.IGNORECASE,
)


def _body_sentences(article: str) -> list[str]:
    """The article's sentences without a dateline."""
    return [DATELINE.sub("", s) for s in sentences(article)]


@lru_cache(maxsize=4096)
def _common_word(word: str, language: Language) -> bool:
    """True when the lexicon reads ``word`` as a common word of ``language`` (its dictionary
    form lower-case: "essen", "read"), not as a proper name ("Berlin", "Columbus")."""
    import simplemma

    lemma = str(simplemma.lemmatize(word.lower(), lang=language))
    return known_word(word.lower(), language) and lemma[:1].islower()


def _place(name: str, language: Language, cued: bool, *, towns: bool = True) -> bool:
    key = fold(name)
    if not key or key in gazetteer.NOT_TOWNS:
        return False
    if gazetteer.country_code(name) is not None:
        return len(name) > 3 or name.isupper()  # not "Ge", "Mal" (ISO codes as words)
    if not towns:
        return False
    if gazetteer.is_division(name) and not _common_word(name, language):
        return True
    least = CUED_POPULATION if cued else ANY_MENTION_POPULATION
    if not gazetteer.has_town(name, least):
        return False
    return cued or not _common_word(name, language)


_DETERMINER = re.compile(
    r"\b(?:der|die|das|den|dem|des|ein|eine|einen|einem|einer|eines|im|am|zum|zur|the|a|an)\s+$",
    re.IGNORECASE,
)
_DATE_WORDS = gazetteer.NOT_TOWNS  # months, weekdays


def _inside_longer_name(sentence: str, start: int, end: int, language: Language) -> bool:
    """A capitalized word next to a name ("New Mexico", "Wladimir Putin", "SC Freiburg"):
    part of that name, not a place of its own. German nouns are capitalized too: there, a
    neighbour is a name when the lexicon does not know it."""
    before = re.search(r"([A-ZÄÖÜ][\w’'.-]*)\s+(?:of\s+)?$", sentence[:start])
    after = re.match(r"\s+(?:of\s+)?([A-ZÄÖÜ][\w’'-]*)", sentence[end:])
    neighbours = [m.group(1) for m in (before, after) if m]
    if before and before.start() == 0 and language == "en":
        neighbours.remove(before.group(1))  # a sentence's first word
    if language == "en":
        return bool(neighbours)
    if after and fold(after.group(1)) in _DATE_WORDS:
        return True  # "Mitte Dezember"
    return any(not known_word(w, language) for w in neighbours)


def places_named(article: str, language: Language, people: Iterable[str] = ()) -> list[str]:
    """The places the article names, as written (module docstring), first mention first; not
    a word of the names of ``people`` ("Kim" of "Kim Jong Un")."""
    names_of_people = {fold(w) for name in people for w in name.split()}
    found: list[str] = []
    for sentence in _body_sentences(article):
        cued = {m.start(1) for m in gazetteer.NAMED_TOWN.finditer(sentence)}
        for match in _WORD.finditer(sentence):
            word = match.group(0).rstrip("’'-")
            if fold(word) in names_of_people:
                continue
            inside = _inside_longer_name(sentence, match.start(), match.end(), language)
            country_code = word.isupper() and gazetteer.country_code(word)  # "USA"
            if (word.isupper() or inside) and not country_code:
                continue
            town_like = not _DETERMINER.search(sentence[: match.start()])
            cue = match.start() in cued
            genitive = language == "de" and word.endswith("s") and len(word) > 4
            if _place(word, language, cue, towns=town_like):
                found.append(word)
            elif genitive and _place(word[:-1], language, False, towns=town_like):
                found.append(word[:-1])  # "Russlands"
    return list(dict.fromkeys(found))


_GLUE = frozenset(["für", "in", "der", "des", "von", "of", "the", "for", "&"])
_LEADING = frozenset(["der", "die", "das", "the", "ein", "eine", "a", "an"])


def _expansion(before: str) -> str | None:
    """The name an abbreviation in parentheses stands for: the capitalized run before it
    ("das Bundesamt für Sicherheit in der Informationstechnik (BSI)")."""
    words = before.split()
    run: list[str] = []
    while words and (words[-1][:1].isupper() or (run and words[-1].casefold() in _GLUE)):
        run.insert(0, words.pop())
    while run and (run[0].casefold() in _GLUE or run[0].casefold() in _LEADING):
        run.pop(0)
    return " ".join(run) or None


def abbreviations_named(article: str) -> list[tuple[str, str | None]]:
    """Abbreviations that name someone (module docstring), first mention first, each with the
    name it stands for where the article spells it out before it in parentheses."""
    found: dict[str, str | None] = {}
    for sentence in _body_sentences(article):
        for match in _ABBREVIATION.finditer(sentence):
            word, before = match.group(0), sentence[: match.start()]
            after = sentence[match.end() :]
            if word in GENERIC or _ROMAN.match(word) or gazetteer.country_code(word):
                continue
            if re.match(r"\s*\d|\s+[A-ZÄÖÜ0-9]", after):
                continue  # "VIII ZR 12/24", "LHS 1140 b", "SC Freiburg"
            spelled = _expansion(before[:-1]) if before.endswith("(") else None
            if spelled and spelled[0] != word[0]:
                spelled = None  # "Katrin Albers (SPD)": a party, not her name's short form
            if found.get(word) is None:
                found[word] = spelled
    return list(found.items())


def group_cued(name: str, article: str) -> bool:
    """True when some mention of ``name`` follows a group word (module docstring)."""
    for match in re.finditer(re.escape(name), article):
        if _GROUP_CUE.search(article[max(0, match.start() - 60) : match.start()]):
            return True
    return False
