"""Which way a sentence says something went: up (rose, stieg, erhöhte) or down (fell, sank,
brach ein), in English or German.

The support checks compare names and numbers across languages, not meaning: "Gewinn bricht
ein" translated "profit rises" keeps every name and passes. A claim that states a direction its
passage never states, where the passage states the other one, reverses it
(:func:`reverses`). Words are matched by how they begin ("stieg" -> "stiegen"), casefolded; a
word that goes both ways or neither ("änderte", "moved") is in neither list, nor one that
often means something else ("Fall", "falls", "Lower Bavaria", "declined to comment",
"surgery").
"""

from __future__ import annotations

import re
from typing import Literal

Direction = Literal["up", "down"]

#: Beginnings of words (and two-word phrases) that state a direction.
_WORDS: dict[Direction, tuple[str, ...]] = {
    "up": (
        # German
        "stieg",
        "steig",
        "gestiegen",
        "anstieg",
        "legte zu",
        "legten zu",
        "zugelegt",
        "wuchs",
        "wächst",
        "gewachsen",
        "erhöh",
        "verdoppel",
        # English
        "rise",
        "rose",
        "risen",
        "rising",
        "increas",
        "grew",
        "grow",
        "climb",
        "jump",
        "surged",
        "surging",
        "surges",
        "soar",
        "raised",
        "raising",
        "higher",
        "doubl",
    ),
    "down": (
        # German
        "sank",
        "sink",
        "gesunken",
        "fiel",
        "fällt",
        "fallen",
        "gefallen",
        "brach ein",
        "brachen ein",
        "bricht ein",
        "brechen ein",
        "eingebrochen",
        "einbruch",
        "ging zurück",
        "gingen zurück",
        "geht zurück",
        "zurückgegangen",
        "rückgang",
        "senk",
        "gesenkt",
        "verringer",
        "reduzier",
        "halbier",
        # English
        "fell",
        "falling",
        "drop",
        "slump",
        "plung",
        "lowered",
        "lowering",
        "decreas",
        "reduc",
        "eased",
        "eases",
        "easing",
        "plummet",
        "shrank",
        "shrink",
        "halv",
    ),
}
_PATTERNS = {
    direction: re.compile(
        r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")",
        re.IGNORECASE,
    )
    for direction, words in _WORDS.items()
}


def directions(text: str) -> frozenset[Direction]:
    """The directions ``text`` states (English or German)."""
    return frozenset(d for d, pattern in _PATTERNS.items() if pattern.search(text))


def loses_direction(translation: str, original: str) -> bool:
    """True when ``translation`` does not state a direction its ``original`` states ("Gewinn
    bricht ein" translated "Winning brings in"): a translation says what its original says, so
    it keeps each direction (a restatement may leave one out). For a short text: the lists are
    not every way to say it ("zusammenbrachen" for "collapsed", "abgezogen" for "dropped"), and
    a sentence's support check sees more than a headline's."""
    return bool(directions(original) - directions(translation))


def reverses(claim: str, passage: str) -> bool:
    """True when ``claim`` states a direction that ``passage`` does not, while ``passage``
    states one ("profit rises" for "Gewinn bricht ein"); False where the passage states none
    (nothing to compare)."""
    stated = directions(passage)
    return bool(stated) and bool(directions(claim) - stated)
