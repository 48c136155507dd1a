"""Key facts in a summary: stated in prose, in one place, the right way round, within a length.

* **Budget**: headline and summary are scored together, cut after :func:`text_budget`
  characters (the gold headline and reference summary's length: the reference's own length),
  at the last whole word, as DUC and TAC cut summaries at a length limit: a longer text cannot
  buy a better score, and a copy of the article is cut like any other text. Characters, not
  words (v2 counted words): words joined by hyphens or underscores fit no more text. No margin:
  with one (1.2 times + 5 words, measured in v2), the first words of the article outscored the
  lead baseline, whose whole sentences stop short of the limit.
* **Prose**: a sentence counts only when it reads as a sentence of the output language: at
  least :data:`MIN_PROSE_WORDS` words; once the label's match terms are taken out, a function
  word (article, preposition, conjunction, pronoun or auxiliary) is left; at least
  :data:`MIN_DISTINCT_FUNCTION_WORDS` different function words in a sentence of
  :data:`LONG_SENTENCE_WORDS` words or more; and no word makes up more than
  :data:`MAX_WORD_SHARE` of a sentence of that length. A keyword salad ("Kim Schoigu Drohne 5
  Reaktion"), or one dressed with articles ("Die Kim Die Schoigu Die Drohne ..."), fails; on
  the 16 seeds every sentence of every reference summary and key fact passes
  (``tests/test_degenerate.py``).
* **Terms**: a fact's ``match`` groups must all be found within one window of one or two
  consecutive prose sentences. A word term matches at the start of a word - terms of four or
  more letters also as the start of a longer word (inflection, compounds: "Drohne" in
  "Drohnenangriff"), shorter ones as whole words only. A number term matches the numbers the
  window states, by value ("23" = "dreiundzwanzig"; "3" is not in "2013"; "6,8" is not 6.9).
* **Agreement**: the window that names a fact's terms must agree with the fact's gold sentence
  on polarity, figures, weekdays and the order of its names (:mod:`summarizer.evals.agreement`);
  only the smallest windows that name the terms are judged (a sentence, or a pair where no
  sentence alone does). A fact's ``contradicts`` alternatives (each a list of groups, like
  ``match``) describe it stated the wrong way ("Sabotage" + "bestätigt" for a denied
  sabotage). Either makes the fact contradicted, which counts against coverage and is reported
  as ``contradictions``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Protocol

from summarizer.datamodel.types import Language
from summarizer.evals.agreement import disagreement
from summarizer.text.lexicon import FUNCTION_WORDS, article_names, fold_token
from summarizer.text.numbers import claimed_values, term_values
from summarizer.text.segmentation import sentences

if TYPE_CHECKING:
    from summarizer.evals.gold import GoldLabel

BUDGET_FACTOR = 1.0
MIN_PROSE_WORDS = 3
LONG_SENTENCE_WORDS = 8
MIN_DISTINCT_FUNCTION_WORDS = 2
MAX_WORD_SHARE = 0.3

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−"})

Group = Sequence[str]


class FactSpec(Protocol):
    """A key fact as the matcher reads it (a gold label's key fact)."""

    match: Sequence[Group]
    contradicts: Sequence[Sequence[Group]]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def text_budget(reference: str) -> int:
    """How many characters of a prediction's headline and summary are scored."""
    return math.ceil(BUDGET_FACTOR * len(reference.strip()))


def within_budget(text: str, budget: int) -> str:
    """``text`` cut to ``budget`` characters at the end of its last whole word (and the
    punctuation attached to it); unchanged when it is shorter."""
    if len(text) <= budget:
        return text
    cut = text[: budget + 1]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    return text[:space].rstrip() if space > 0 else ""


def scored_text(headline: str, summary: str, budget: int) -> str:
    """Headline and summary as one text (the headline its own sentence), within the budget."""
    return within_budget(f"{headline.strip()}\n\n{summary.strip()}", budget)


def is_prose(sentence: str, terms: Sequence[str] = ()) -> bool:
    """True when ``sentence`` reads as a sentence beyond its match ``terms`` (see above)."""
    tokens = [w.casefold() for w in words(sentence)]
    if len(tokens) < MIN_PROSE_WORDS:
        return False
    if len(tokens) >= LONG_SENTENCE_WORDS:
        functions = {w for w in tokens if w in FUNCTION_WORDS}
        most = max(tokens.count(w) for w in set(tokens))
        if len(functions) < MIN_DISTINCT_FUNCTION_WORDS or most > MAX_WORD_SHARE * len(tokens):
            return False
    rest = _fold(sentence)
    for term in terms:
        if term_values(term) is None:
            rest = term_pattern(term).sub(" ", rest)
    return any(token in FUNCTION_WORDS for token in words(rest))


@dataclass(frozen=True)
class Windows:
    """The prose sentences of a text, and the pairs of consecutive ones."""

    single: list[str]
    pairs: list[str]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter([*self.single, *self.pairs])


def prose_windows(text: str, terms: Sequence[str] = ()) -> Windows:
    """Every run of one or two consecutive sentences of ``text`` that are both prose."""
    found = [(s, is_prose(s, terms)) for s in sentences(text)]
    return Windows(
        [s for s, prose in found if prose],
        [f"{a} {b}" for (a, a_prose), (b, b_prose) in pairwise(found) if a_prose and b_prose],
    )


def story_names(article: str, label: GoldLabel) -> frozenset[str]:
    """The folded name tokens whose order and place the agreement rules check: the article's
    names and those of the label's entities."""
    return article_names(article, label.language) | {
        fold_token(word)
        for entity in label.entities
        for name in (entity.name, *entity.aliases)
        for word in name.split()
        if len(word) > 2 and word.casefold() not in FUNCTION_WORDS
    }


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
    #: What contradicts it: the window and the rule, when contradicted.
    reason: str | None = None


def judge_fact(
    match: Sequence[Group],
    contradicts: Sequence[Sequence[Group]],
    windows: Windows,
    language: Language,
    gold: str | None = None,
    names: frozenset[str] = frozenset(),
) -> FactVerdict:
    """Whether a window states the fact (``match``) in agreement with its gold sentence
    ``gold`` (the fact in ``language``; not checked without one), and whether one states it
    the wrong way round or every window that names its terms disagrees with it; a contradicted
    fact is not covered."""
    for alternative in contradicts:
        for window in windows:
            if groups_in(alternative, window, language):
                return FactVerdict(False, True, f"{window!r}: stated the wrong way round")
    stating = [w for w in windows.single if groups_in(match, w, language)] or [
        w for w in windows.pairs if groups_in(match, w, language)
    ]
    if not stating or gold is None:
        return FactVerdict(covered=bool(stating), contradicted=False)

    def relevant(clause: str) -> bool:
        named = sum(any(term_in(term, clause, language) for term in group) for group in match)
        return 2 * named > len(match)

    reasons = []
    for window in stating:
        found = disagreement(window, gold, language, names, relevant)
        if found is None:
            return FactVerdict(covered=True, contradicted=False)
        reasons.append(f"{window!r}: {found.rule} ({found.detail})")
    return FactVerdict(False, True, "; ".join(reasons))
