"""Key facts in a summary: stated in prose, in one place, the right way round, within a length.

* **Word budget**: headline and summary are scored together, cut after
  :func:`word_budget` words (the gold headline and reference summary's length times
  :data:`BUDGET_FACTOR`, plus :data:`BUDGET_EXTRA`: the reference's own length), as DUC and
  TAC cut summaries at a word limit: a longer text cannot buy a better score, and a copy of the
  article is cut like any other text. No margin: with one (1.2 times + 5 words, measured), the
  first words of the article outscored the lead baseline, whose whole sentences stop short of
  the limit.
* **Prose**: a sentence counts only when it reads as a sentence: at least
  :data:`MIN_PROSE_WORDS` words, and once the label's match terms are taken out, a function
  word (article, preposition, conjunction, pronoun or auxiliary) is left. A keyword salad
  ("Kim Schoigu Drohne 5 Reaktion", or "Kaution BGH nicht 1.850" whose "nicht" is itself a
  term) has none.
* **Terms**: a fact's ``match`` groups must all be found within one window of one or two
  consecutive prose sentences. A word term matches at the start of a word - terms of four or
  more letters also as the start of a longer word (inflection, compounds: "Drohne" in
  "Drohnenangriff"), shorter ones as whole words only. A number term matches the numbers the
  window states, by value ("23" = "dreiundzwanzig"; "3" is not in "2013"; "6,8" is not 6.9).
* **Polarity**: a fact's ``contradicts`` alternatives (each a list of groups, like ``match``)
  describe it stated the wrong way ("Sabotage" + "bestätigt" for a denied sabotage); a window
  that matches one makes the fact contradicted, which counts against coverage and is reported
  as ``contradictions``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol

from summarizer.datamodel.types import Language
from summarizer.text.lexicon import FUNCTION_WORDS
from summarizer.text.numbers import claimed_values, term_values
from summarizer.text.segmentation import sentences

BUDGET_FACTOR = 1.0
BUDGET_EXTRA = 0
MIN_PROSE_WORDS = 3

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−"})

Group = Sequence[str]


class FactSpec(Protocol):
    """A key fact as the matcher reads it (a gold label's key fact)."""

    match: Sequence[Group]
    contradicts: Sequence[Sequence[Group]]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def word_budget(reference: str) -> int:
    """How many words of a prediction's headline and summary are scored."""
    return math.ceil(BUDGET_FACTOR * len(words(reference))) + BUDGET_EXTRA


def within_budget(text: str, budget: int) -> str:
    """``text`` cut after its ``budget``-th word and the punctuation attached to it (unchanged
    when it is shorter)."""
    for count, match in enumerate(_WORD.finditer(text), start=1):
        if count == budget:
            space = re.search(r"\s", text[match.end() :])
            return text[: match.end() + space.start()] if space else text
    return text


def scored_text(headline: str, summary: str, budget: int) -> str:
    """Headline and summary as one text (the headline its own sentence), within the budget."""
    return within_budget(f"{headline.strip()}\n\n{summary.strip()}", budget)


def is_prose(sentence: str, terms: Sequence[str] = ()) -> bool:
    """True when ``sentence`` reads as a sentence beyond its match ``terms`` (see above)."""
    if len(words(sentence)) < MIN_PROSE_WORDS:
        return False
    rest = _fold(sentence)
    for term in terms:
        if term_values(term) is None:
            rest = term_pattern(term).sub(" ", rest)
    return any(token in FUNCTION_WORDS for token in words(rest))


def prose_windows(text: str, terms: Sequence[str] = ()) -> list[str]:
    """Every run of one or two consecutive sentences of ``text`` that are both prose."""
    found = [(s, is_prose(s, terms)) for s in sentences(text)]
    windows = [s for s, prose in found if prose]
    windows += [f"{a} {b}" for (a, a_prose), (b, b_prose) in pairwise(found) if a_prose and b_prose]
    return windows


def label_terms(facts: Sequence[FactSpec]) -> list[str]:
    """Every term of the facts' ``match`` and ``contradicts`` groups, once."""
    terms = [
        t for f in facts for g in [*f.match, *(g for alt in f.contradicts for g in alt)] for t in g
    ]
    return list(dict.fromkeys(terms))


def _fold(text: str) -> str:
    return " ".join(text.casefold().translate(_DASHES).split())


def term_pattern(term: str) -> re.Pattern[str]:
    folded = _fold(term)
    last = words(folded)[-1] if words(folded) else folded
    end = "" if len(last) >= 4 else r"(?![^\W_])"
    return re.compile(r"(?<![^\W_])" + re.escape(folded) + end)


def term_in(term: str, window: str, language: Language) -> bool:
    """True when ``window`` (written in ``language``) states ``term``."""
    values = term_values(term)
    if values is not None:
        return bool(values & claimed_values(window, language))
    return term_pattern(term).search(_fold(window)) is not None


def groups_in(groups: Sequence[Group], window: str, language: Language) -> bool:
    """True when every group has a term in ``window``."""
    return all(any(term_in(term, window, language) for term in group) for group in groups)


@dataclass(frozen=True)
class FactVerdict:
    covered: bool
    contradicted: bool


def judge_fact(
    match: Sequence[Group],
    contradicts: Sequence[Sequence[Group]],
    windows: Sequence[str],
    language: Language,
) -> FactVerdict:
    """Whether some window states the fact (``match``) and whether one states it the wrong
    way round (``contradicts``); a contradicted fact is not covered."""
    contradicted = any(groups_in(alt, w, language) for alt in contradicts for w in windows)
    stated = any(groups_in(match, w, language) for w in windows)
    return FactVerdict(covered=stated and not contradicted, contradicted=contradicted)
