"""Matching predicted names (entities, speakers, sources, actors, places) to gold names.

A name is compared token by token with each gold variant (the name and its aliases). Tokens
are folded first: case, diacritics ("Müller" = "Muller"), common transliterations of the same
name ("Schoigu"/"Shoigu", "Peskow"/"Peskov", "Sergej"/"Sergei", "Pjöngjang"/"Pyongyang",
"Selenskyj"/"Zelensky"), and inflection endings (genitive "Putins", plural "-en"). Role words
("Präsident", "Sprecher", "spokesman", ...) are ignored. Two tokens match only when equal after
folding: "Schulz" is not "Scholz", "Möller" not "Müller", "Mann" not "Hartmann", "Niger" not
"Nigeria", "Sudan" not "Südsudan".

The score of a predicted name against a variant is the F1 of matched tokens: extra words cost
precision, missing words cost recall. A pair matches at :data:`NAME_MATCH` or above, so a
"kitchen-sink" name that strings many names together matches none of them, and a partial name
("Union" for "Europäische Union") matches only when the gold lists it as an alias.
:func:`assign` pairs predictions with gold items one to one by the optimal (Hungarian)
assignment of these scores.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from summarizer.text.lexicon import fold_token, same_name_token

P = TypeVar("P")
G = TypeVar("G")

#: Lowest token F1 at which two names are taken to name the same thing.
NAME_MATCH = 0.75

_TOKEN = re.compile(r"[^\W_]+")
_FILLER = frozenset(
    ["der", "die", "das", "des", "den", "dem", "von", "vom", "und", "the", "of", "and", "for"]
)
#: Role words that often precede a name and are not part of it.
_ROLE_WORDS_TEXT = """
    präsident präsidentin president kanzler kanzlerin bundeskanzler bundeskanzlerin chancellor
    minister ministerin ministerpräsident ministerpräsidentin prime sprecher sprecherin
    spokesman spokeswoman spokesperson machthaber leader chef chefin head dr prof herr frau mr
    mrs ms sir general staatschef
"""
ROLE_WORDS = frozenset(_ROLE_WORDS_TEXT.split())


def tokens(name: str) -> list[str]:
    """The folded significant tokens of ``name`` (filler and role words left out)."""
    words = [w for w in _TOKEN.findall(name) if w.casefold() not in _FILLER]
    significant = [w for w in words if w.casefold() not in ROLE_WORDS] or words
    return [fold_token(w) for w in significant]


def token_f1(predicted: Sequence[str], gold: Sequence[str]) -> float:
    """F1 of the tokens of ``predicted`` that match a token of ``gold`` (each used once)."""
    if not predicted or not gold:
        return 0.0
    unused = list(gold)
    matched = 0
    for token in predicted:
        hit = next((g for g in unused if same_name_token(token, g)), None)
        if hit is not None:
            unused.remove(hit)
            matched += 1
    if not matched:
        return 0.0
    precision, recall = matched / len(predicted), matched / len(gold)
    return 2 * precision * recall / (precision + recall)


def name_score(predicted: str, variants: Sequence[str]) -> float:
    """The best token F1 of ``predicted`` against any of ``variants`` (a name and aliases)."""
    mine = tokens(predicted)
    return max((token_f1(mine, tokens(v)) for v in variants), default=0.0)


def name_matches(predicted: str, variants: Sequence[str]) -> bool:
    """True when ``predicted`` names what one of ``variants`` names."""
    return name_score(predicted, variants) >= NAME_MATCH


def assign(
    predicted: Sequence[P], gold: Sequence[G], score: Callable[[P, G], float]
) -> list[tuple[int, int]]:
    """The one-to-one pairs (prediction index, gold index) with the highest total score
    (Hungarian algorithm); pairs scoring 0 are not pairs."""
    if not predicted or not gold:
        return []
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    matrix = np.array([[score(p, g) for g in gold] for p in predicted], dtype=float)
    rows, columns = linear_sum_assignment(matrix, maximize=True)
    return sorted((int(i), int(j)) for i, j in zip(rows, columns, strict=True) if matrix[i, j] > 0)
