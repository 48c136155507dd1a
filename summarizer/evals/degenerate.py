"""Degenerate predictions: outputs built to game one metric family each.

A metric is trusted only after junk fails it. Each strategy here builds, from a seed's article
and gold label, the junk that would max out the metrics named in :data:`TARGETS` if they could
be gamed; ``tests/test_degenerate.py`` checks that every one scores below the ``lead`` baseline
on its targets, and ``benchmarks/degenerate_scores.py`` prints the table of the README.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from summarizer.datamodel.schemas import (
    ArticleSummary,
    Entity,
    EventRecord,
    EvidenceSpan,
    KeyPoint,
    Location,
    Quote,
)
from summarizer.datamodel.types import Language
from summarizer.evals.gold import GoldLabel
from summarizer.evals.oracle import gold_to_summary
from summarizer.text.matching import locate
from summarizer.text.segmentation import paragraph_spans

#: Builds the junk for one seed, or None where the strategy has nothing to game there.
Strategy = Callable[[str, GoldLabel, Language], ArticleSummary | None]

#: The metrics each strategy tries to game (higher is better unless it is a count).
TARGETS: dict[str, tuple[str, ...]] = {
    "copy": ("key_fact_coverage", "chrf", "rouge_l"),
    "keyword_salad": ("key_fact_coverage",),
    "kitchen_sink_names": ("entity_f1", "quote_attribution", "source_accuracy"),
    "whole_article_spans": ("event_f1", "quote_recall"),
    "catch_all_events": ("event_f1",),
    "wrong_polarity": ("key_fact_coverage", "contradictions"),
    "shifted_numbers": ("hallucinated_numbers",),
    "wrong_offsets": ("grounding_rate", "event_f1", "quote_recall"),
    "empty": ("key_fact_coverage", "chrf", "entity_f1"),
}


def _span(text: str, start: int, end: int) -> EvidenceSpan:
    return EvidenceSpan(text=text[start:end], start=start, end=end)


def copy(article: str, gold: GoldLabel, language: Language) -> ArticleSummary:
    """The article as the summary, 400-character slices of it as key points."""
    points = [
        KeyPoint(text=article[i : i + 400], evidence=_span(article, i, min(i + 400, len(article))))
        for i in range(0, len(article), 400)
    ][:8]
    return ArticleSummary(
        language=gold.language,
        output_language=language,
        headline=article.strip().splitlines()[0][:200],
        summary=article,
        key_points=points,
    )


def keyword_salad(article: str, gold: GoldLabel, language: Language) -> ArticleSummary:
    """Every key fact's first match terms, strung together without a sentence."""
    terms = [group[0] for fact in gold.key_facts for group in fact.match]
    salad = " ".join(dict.fromkeys(terms))
    return ArticleSummary(
        language=gold.language, output_language=language, headline=salad, summary=salad
    )


def _all_names(gold: GoldLabel, limit: int = 120) -> str:
    """Every gold name strung together (as many as the schema's name length allows)."""
    names = ""
    for entity in gold.entities:
        if len(names) + len(entity.name) + 1 > limit:
            break
        names = f"{names} {entity.name}".strip()
    return names


def kitchen_sink_names(article: str, gold: GoldLabel, language: Language) -> ArticleSummary:
    """The gold prediction with every name replaced by all names strung together."""
    pred = gold_to_summary(gold, article, language)
    everyone = _all_names(gold)
    pred.entities = [Entity(name=everyone, type=e.type, description="") for e in pred.entities]
    for quote in pred.quotes:
        quote.speaker = everyone
    for event in pred.events:
        event.source_attribution = everyone
    return pred


def _widest(article: str, start: int, end: int, limit: int = 800) -> EvidenceSpan:
    """The longest span the schema allows (``limit`` characters) around ``start:end``."""
    middle = (start + end) // 2
    first = max(0, min(middle - limit // 2, len(article) - limit))
    return _span(article, first, min(first + limit, len(article)))


def whole_article_spans(article: str, gold: GoldLabel, language: Language) -> ArticleSummary:
    """One event per gold event type whose evidence is as much of the article around the gold
    evidence as the schema allows (800 characters); each gold quote's whole paragraph as the
    quote."""
    pred = gold_to_summary(gold, article, language)
    pred.events = [
        EventRecord(
            event_type=e.event_type,
            description=e.description,
            evidence=_widest(article, e.evidence.start or 0, e.evidence.end or 0),
        )
        for e in pred.events
    ]
    paragraphs = paragraph_spans(article)
    quotes = []
    for quote in pred.quotes:
        start, end = next(
            ((s, e) for s, e in paragraphs if s <= (quote.start or 0) < e), (0, len(article))
        )
        end = min(end, start + 800)
        quotes.append(Quote(speaker=quote.speaker, text=article[start:end], start=start, end=end))
    pred.quotes = quotes
    return pred


def catch_all_events(article: str, gold: GoldLabel, language: Language) -> ArticleSummary:
    """Events of the gold types whose evidence is the article's first sentence, with every name
    as the actor and every place as the location."""
    pred = gold_to_summary(gold, article, language)
    first = locate(article.strip().splitlines()[0], article)
    evidence = _span(article, first.start, first.end) if first else _span(article, 0, 40)
    places = " ".join(
        p
        for e in gold.events
        for p in (e.location.place, e.location.region, e.location.country)
        if p
    )
    pred.events = [
        EventRecord(
            event_type=e.event_type,
            description=e.description,
            actors=[_all_names(gold)],
            location=Location(place=places or None),
            evidence=evidence,
        )
        for e in pred.events
    ]
    return pred


_PHRASE = {"de": "Es hieß, {} sei so.", "en": "It was said that {} is so."}


def wrong_polarity(article: str, gold: GoldLabel, language: Language) -> ArticleSummary | None:
    """A summary that states each polarity fact the wrong way round ("Die Bahn bestätigte
    Sabotage" for a denial), for the labels that say what that looks like."""
    wrong = [
        _PHRASE[language].format(" ".join(group[0] for group in fact.contradicts[0]))
        for fact in gold.key_facts
        if fact.contradicts
    ]
    if not wrong:
        return None
    return ArticleSummary(
        language=gold.language, output_language=language, headline=wrong[0], summary=" ".join(wrong)
    )


_DECIMAL = re.compile(r"(\d+)([.,])(\d+)")
_SCALES = {
    "Milliarden": "Millionen",
    "billion": "million",
    "Millionen": "Milliarden",
    "million": "billion",
}


def shift_numbers(text: str) -> str:
    """``text`` with every decimal's last digit raised and million/billion swapped."""
    text = _DECIMAL.sub(lambda m: f"{m.group(1)}{m.group(2)}{int(m.group(3)) + 1}", text)
    return re.sub("|".join(_SCALES), lambda m: _SCALES[m.group()], text)


def shifted_numbers(article: str, gold: GoldLabel, language: Language) -> ArticleSummary:
    """The gold prediction with every decimal's last digit raised, scale words swapped
    (billion/million) and casualty figures off by one."""
    pred = gold_to_summary(gold, article, language)
    pred.headline, pred.summary = shift_numbers(pred.headline), shift_numbers(pred.summary)
    for point in pred.key_points:
        point.text = shift_numbers(point.text)
    for event in pred.events:
        if event.fatalities is not None:
            event.fatalities += 1
    return pred


def wrong_offsets(article: str, gold: GoldLabel, language: Language) -> ArticleSummary:
    """The gold prediction with every evidence and quote offset moved seven characters on
    (the text stays right, its claimed position does not)."""
    pred = gold_to_summary(gold, article, language)
    spans = [p.evidence for p in pred.key_points] + [e.evidence for e in pred.events]
    for span in [*spans, *pred.quotes]:
        if span.start is not None and span.end is not None:
            span.start, span.end = span.start + 7, span.end + 7
    return pred


def empty(article: str, gold: GoldLabel, language: Language) -> ArticleSummary:
    return ArticleSummary(language=gold.language, output_language=language, headline="", summary="")


STRATEGIES: dict[str, Strategy] = {
    "copy": copy,
    "keyword_salad": keyword_salad,
    "kitchen_sink_names": kitchen_sink_names,
    "whole_article_spans": whole_article_spans,
    "catch_all_events": catch_all_events,
    "wrong_polarity": wrong_polarity,
    "shifted_numbers": shifted_numbers,
    "wrong_offsets": wrong_offsets,
    "empty": empty,
}
