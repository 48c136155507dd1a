"""Support checks: does the passage a claim points to say what the claim says?

Pure functions over strings (no Pydantic, no LLM), used by the grounding checks on every reply
and by the eval metrics. The rules (documented in the README, tuned on the 16 seeds so that every
gold key fact, reference sentence, event and quote passes and evidence swapped between facts
fails):

* A **claim** (a key point, a summary sentence) is supported by a passage when every *name* it
  states (:func:`~summarizer.text.lexicon.name_tokens`) and every *number* (by value) occurs in
  the passage, and - when the claim is in the article's language - at least
  :data:`KEY_POINT_MIN_SHARE` (key points, against their evidence's paragraph) or
  :data:`SENTENCE_MIN_SHARE` (summary sentences, against the one or two article sentences that
  cover them best) of its content words do, as lemmas, tolerant to inflection and compounds.
  Across languages only names and numbers can be checked.

Who said or reports what, and casualty figures, are in :mod:`summarizer.text.attribution`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from summarizer.datamodel.types import Language
from summarizer.text.lexicon import (
    content_lemmas,
    lemma_covered,
    mentions_token,
    name_tokens,
)
from summarizer.text.numbers import claimed_values, missing_values, stated_values
from summarizer.text.segmentation import article_sentence_spans, sentences

if TYPE_CHECKING:
    from summarizer.datamodel.schemas import SentenceSupport

KEY_POINT_MIN_SHARE = 0.6
SENTENCE_MIN_SHARE = 0.45


@dataclass(frozen=True)
class Support:
    """How far a passage supports a claim."""

    share: float | None  # content words found (None across languages: not checkable)
    missing_names: tuple[str, ...] = ()
    missing_numbers: tuple[Decimal, ...] = ()

    def supported(self, min_share: float) -> bool:
        share_ok = self.share is None or self.share >= min_share
        return share_ok and not self.missing_names and not self.missing_numbers

    def reason(self, min_share: float) -> str:
        """What is missing, in words the model can act on."""
        parts = []
        if self.missing_names:
            parts.append(f"it names {', '.join(self.missing_names)}, which the passage does not")
        if self.missing_numbers:
            numbers = ", ".join(format(n, "f") for n in self.missing_numbers)
            parts.append(f"its number(s) {numbers} are not in the passage")
        if self.share is not None and self.share < min_share:
            parts.append(f"only {self.share:.0%} of its content words are in the passage")
        return "; ".join(parts)


def claim_support(
    claim: str,
    passage: str,
    *,
    claim_language: Language,
    passage_language: Language,
    names: frozenset[str],
) -> Support:
    """How far ``passage`` (in the article's language) supports ``claim``; ``names``: the
    folded name tokens of the article (and of the reply)."""
    missing_names = tuple(
        dict.fromkeys(n for n in name_tokens(claim, names) if not mentions_token(n, passage))
    )
    missing_numbers = tuple(
        missing_values(
            claimed_values(claim, claim_language), stated_values(passage, passage_language)
        )
    )
    share = None
    if claim_language == passage_language:
        words = content_lemmas(claim, claim_language)
        pool = content_lemmas(passage, passage_language)
        share = sum(lemma_covered(w, pool) for w in words) / len(words) if words else 1.0
    return Support(share, missing_names, missing_numbers)


@dataclass(frozen=True)
class SentenceAlignment:
    """A summary sentence and the article sentences that cover it best."""

    sentence: str
    evidence: tuple[tuple[int, int], ...]  # article offsets
    support: Support

    checkable: bool = True  # False: across languages, a sentence without names or numbers

    @property
    def supported(self) -> bool:
        return self.support.supported(SENTENCE_MIN_SHARE)


#: At most this many article sentences support one summary sentence.
MAX_SUPPORTING_SENTENCES = 4


def _units(
    sentence: str, language: Language, article_language: Language, names: frozenset[str]
) -> list[tuple[str, object]]:
    """What a summary sentence asserts that a passage can be checked for: its names, its
    numbers and (in the article's language) its content words."""
    units: list[tuple[str, object]] = [("name", n) for n in name_tokens(sentence, names)]
    units += [("number", v) for v in claimed_values(sentence, language)]
    if language == article_language:
        units += [("word", w) for w in content_lemmas(sentence, language)]
    return units


def _holds(unit: tuple[str, object], text: str, language: Language) -> bool:
    kind, value = unit
    if kind == "name":
        return mentions_token(str(value), text)
    if kind == "number":
        return value in stated_values(text, language)
    return lemma_covered(str(value), content_lemmas(text, language))


def align_sentence(
    sentence: str,
    article: str,
    *,
    language: Language,
    article_language: Language,
    names: frozenset[str],
) -> SentenceAlignment:
    """The article sentences that support ``sentence``: chosen greedily, each covering the most
    of its names, numbers and content words not covered yet (at most
    :data:`MAX_SUPPORTING_SENTENCES`); then how well they support it."""
    spans = article_sentence_spans(article)
    open_units = _units(sentence, language, article_language, names)
    chosen: list[tuple[int, int]] = []
    while open_units and len(chosen) < MAX_SUPPORTING_SENTENCES:
        best, covered = None, []
        for span in spans:
            if span in chosen:
                continue
            text = article[span[0] : span[1]]
            hits = [u for u in open_units if _holds(u, text, article_language)]
            if len(hits) > len(covered):
                best, covered = span, hits
        if best is None:
            break
        chosen.append(best)
        open_units = [u for u in open_units if u not in covered]
    chosen.sort()
    passage = " ".join(article[s:e] for s, e in chosen)
    support = claim_support(
        sentence, passage, claim_language=language, passage_language=article_language, names=names
    )
    checkable = bool(_units(sentence, language, article_language, names))
    return SentenceAlignment(sentence, tuple(chosen), support, checkable)


def summary_support(
    summary: str,
    article: str,
    *,
    language: Language,
    article_language: Language,
    names: frozenset[str],
) -> list[SentenceSupport]:
    """Every sentence of ``summary`` with the article sentences that support it."""
    from summarizer.datamodel.schemas import EvidenceSpan, SentenceSupport

    supports: list[SentenceSupport] = []
    for sentence in sentences(summary):
        alignment = align_sentence(
            sentence, article, language=language, article_language=article_language, names=names
        )
        share = alignment.support.share
        supports.append(
            SentenceSupport(
                sentence=sentence,
                evidence=[
                    EvidenceSpan(text=article[s:e], start=s, end=e) for s, e in alignment.evidence
                ],
                score=None if share is None else round(share, 3),
                supported=alignment.supported if alignment.checkable else None,
            )
        )
    return supports
