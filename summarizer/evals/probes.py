"""Degenerate predictions of eval harness v3, each built to game one metric.

Two kinds, kept as tests (``tests/test_degenerate.py``):

* **system junk** (:data:`SYSTEM`): what a system could output without the gold label; it must
  score below the ``lead`` baseline on its targets (or 0 where lead predicts nothing of the
  kind);
* **probes** (:data:`PROBES`): the gold reference rewritten so that it is wrong in one way
  (negated, in the other language, names or figures exchanged, events and quotes spammed); it
  must score at least :data:`PROBE_MARGIN` worse than the reference itself on its targets.

Every builder returns None where the seed offers nothing to rewrite (no two names, no two
figures).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from summarizer.datamodel.schemas import (
    ArticleSummary,
    EventRecord,
    EventType,
    EvidenceSpan,
    KeyPoint,
    Location,
    Quote,
)
from summarizer.datamodel.types import Language
from summarizer.evals.gold import GoldLabel
from summarizer.evals.oracle import gold_to_summary
from summarizer.text.lexicon import FUNCTION_WORDS
from summarizer.text.segmentation import article_sentence_spans, quoted_spans

Builder = Callable[[str, GoldLabel, Language], ArticleSummary | None]
#: A probe must score at least this much worse than the reference on its targets.
PROBE_MARGIN = 0.2
_WORD = re.compile(r"[^\W\d_]{3,}")
_ARTICLE = {"de": "Die", "en": "The"}
_NEGATION = {"de": "nicht", "en": "not"}


def _reference(gold: GoldLabel, language: Language) -> tuple[str, str]:
    return gold.headline.get(language, ""), gold.reference_summary.get(language, "")


def _with_summary(
    article: str, gold: GoldLabel, language: Language, headline: str, summary: str
) -> ArticleSummary:
    pred = gold_to_summary(gold, article, language)
    pred.headline, pred.summary = headline, summary
    return pred


def _spans(article: str, limit: int) -> list[EvidenceSpan]:
    return [
        EvidenceSpan(text=article[s:e], start=s, end=e)
        for s, e in article_sentence_spans(article)[:limit]
    ]


# -- system junk ---------------------------------------------------------------------------------


def dressed_salad(article: str, gold: GoldLabel, language: Language) -> ArticleSummary:
    """Every distinct content word of the article, each after "Die"/"The", as headline and
    summary; the first eight sentences as key points."""
    words = dict.fromkeys(w for w in _WORD.findall(article) if w.casefold() not in FUNCTION_WORDS)
    article_word = _ARTICLE[gold.language]
    salad = " ".join(f"{article_word} {w}" for w in words) + "."
    points = [KeyPoint(text=span.text[:400], evidence=span) for span in _spans(article, 8)]
    return ArticleSummary(
        language=gold.language,
        output_language=language,
        headline=salad[:200],
        summary=salad,
        key_points=points,
    )


def joined_copy(article: str, gold: GoldLabel, language: Language) -> ArticleSummary:
    """The article with every space inside a paragraph replaced by a hyphen (one "word" per
    paragraph: a word budget would score all of it)."""
    joined = "\n\n".join("-".join(p.split()) for p in article.split("\n\n"))
    return ArticleSummary(
        language=gold.language, output_language=language, headline="", summary=joined
    )


def one_event_per_sentence(article: str, gold: GoldLabel, language: Language) -> ArticleSummary:
    """One event of every type for every sentence of the article, no figures."""
    events = [
        EventRecord(event_type=kind, description=span.text[:200], evidence=span)
        for span in _spans(article, 40)
        for kind in EventType
    ]
    return ArticleSummary(
        language=gold.language, output_language=language, headline="", summary="", events=events
    )


SYSTEM: dict[str, Builder] = {
    "dressed_salad": dressed_salad,
    "joined_copy": joined_copy,
    "one_event_per_sentence": one_event_per_sentence,
}

# -- probes built from the gold ------------------------------------------------------------------


def negated_reference(article: str, gold: GoldLabel, language: Language) -> ArticleSummary:
    """The reference with a negation after the second word of every sentence."""
    headline, summary = _reference(gold, language)

    def negate(sentence: str) -> str:
        words = sentence.split(" ")
        return " ".join([*words[:2], _NEGATION[language], *words[2:]])

    sentences = re.split(r"(?<=[.!?])\s+", summary)
    return _with_summary(
        article, gold, language, negate(headline), " ".join(negate(s) for s in sentences)
    )


def other_language_reference(
    article: str, gold: GoldLabel, language: Language
) -> ArticleSummary | None:
    """The reference in the other language, labelled as the one asked for."""
    other = next((lang for lang in gold.reference_summary if lang != language), None)
    if other is None:
        return None
    headline, summary = _reference(gold, other)
    return _with_summary(article, gold, language, headline, summary)


def swapped_names(article: str, gold: GoldLabel, language: Language) -> ArticleSummary | None:
    """The reference with two names exchanged, as written ("Kim Jong Un" where "Sergej Schoigu"
    stood): two that one key fact relates, where a fact does."""
    headline, summary = _reference(gold, language)
    text = f"{headline}\n{summary}"
    written = {
        entity.name: max(found, key=lambda n: (text.count(n), len(n)))
        for entity in gold.entities
        if (found := [n for n in (entity.name, *entity.aliases) if len(n) > 2 and n in text])
    }
    # Two names one key fact relates, where a fact does; else the two the reference repeats.
    pairs = [
        [w for name, w in written.items() if w in fact.text.get(language, "")]
        for fact in gold.key_facts
    ]
    chosen = next((p[:2] for p in pairs if len(p) >= 2), list(written.values())[:2])
    if len(chosen) < 2:
        return None
    a, b = chosen
    pattern = re.compile(rf"\b({re.escape(a)}|{re.escape(b)})\b")

    def swap(value: str) -> str:
        return pattern.sub(lambda m: b if m[0] == a else a, value)

    return _with_summary(article, gold, language, swap(headline), swap(summary))


_FIGURE = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?(?![\d.,]\d)")


def moved_figures(article: str, gold: GoldLabel, language: Language) -> ArticleSummary | None:
    """The reference with its figures rotated between their slots (each figure where the next
    one stood)."""
    headline, summary = _reference(gold, language)
    figures = _FIGURE.findall(summary)
    if len(set(figures)) < 2:
        return None
    rotated = iter(figures[1:] + figures[:1])
    return _with_summary(
        article, gold, language, headline, _FIGURE.sub(lambda _: next(rotated), summary)
    )


def capitalized_actor_events(
    article: str, gold: GoldLabel, language: Language
) -> ArticleSummary | None:
    """The gold events with every capitalized word of the article as an actor and their
    evidence moved to another sentence."""
    if not gold.events:
        return None
    pred = gold_to_summary(gold, article, language)
    capitalized = list(dict.fromkeys(w for w in _WORD.findall(article) if w[0].isupper()))[:40]
    spans = _spans(article, 60)
    for event in pred.events:
        other = next(
            (s for s in spans if event.evidence.start is None or s.end < event.evidence.start),
            spans[-1],
        )
        event.actors, event.evidence = capitalized, other
        event.location = Location(place=event.location.place, country=event.location.country)
    return pred


def quote_spam(article: str, gold: GoldLabel, language: Language) -> ArticleSummary | None:
    """Every passage in quotation marks as a quote of the person the article names most."""
    people = [e.name for e in gold.entities if e.type.value == "person"]
    if not gold.quotes or not people:
        return None
    speaker = max(people, key=lambda name: article.count(name.split()[-1]))
    pred = gold_to_summary(gold, article, language)
    pred.quotes = [
        Quote(speaker=speaker, text=article[s:e], start=s, end=e)
        for s, e in quoted_spans(article)
        if e - s >= 3
    ]
    return pred


PROBES: dict[str, Builder] = {
    "negated_reference": negated_reference,
    "other_language_reference": other_language_reference,
    "swapped_names": swapped_names,
    "moved_figures": moved_figures,
    "capitalized_actor_events": capitalized_actor_events,
    "quote_spam": quote_spam,
}

#: The metrics each new class targets.
V3_TARGETS: dict[str, tuple[str, ...]] = {
    "dressed_salad": ("key_fact_coverage",),
    "joined_copy": ("key_fact_coverage", "chrf"),
    "one_event_per_sentence": ("event_precision", "fatalities_accuracy_predicted"),
    "negated_reference": ("key_fact_coverage", "contradictions"),
    "other_language_reference": ("key_fact_coverage", "chrf", "rouge_l"),
    "swapped_names": ("contradictions",),
    "moved_figures": ("contradictions",),
    "capitalized_actor_events": ("event_f1",),
    "quote_spam": ("quote_precision",),
}
