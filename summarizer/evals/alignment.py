"""Pairing predicted entities, events and quotes with gold ones, one to one (Hungarian
assignment; see :mod:`summarizer.evals.names` and :mod:`summarizer.evals.spans` for what may
pair)."""

from __future__ import annotations

from summarizer.datamodel.schemas import ArticleSummary, Entity, EventRecord, Location, Source
from summarizer.evals.gold import GoldEntity, GoldEvent, GoldLabel, GoldSource
from summarizer.evals.names import NAME_MATCH, assign, name_matches, name_score
from summarizer.evals.spans import SPAN_MATCH, char_iou, sentence_iou, verified_span
from summarizer.text.matching import locate

Pairs = list[tuple[int, int]]


def match_entities(pred: ArticleSummary, gold: GoldLabel) -> Pairs:
    """(predicted, gold) entity pairs: same type, names matching (score at least
    :data:`~summarizer.evals.names.NAME_MATCH`)."""

    def score(p: Entity, g: GoldEntity) -> float:
        if p.type != g.type:
            return 0.0
        value = name_score(p.name, [g.name, *g.aliases])
        return value if value >= NAME_MATCH else 0.0

    return assign(pred.entities, gold.entities, score)


def _gold_places(event: GoldEvent) -> list[str]:
    parts = (event.location.place, event.location.region, event.location.country)
    return [x for x in parts if x]


def location_matches(pred: Location, gold_event: GoldEvent) -> bool:
    gold_parts = _gold_places(gold_event)
    if not gold_parts:
        return True
    pred_parts = [x for x in (pred.place, pred.region, pred.country) if x]
    return any(name_matches(p, gold_parts) for p in pred_parts)


def actors_match(pred: EventRecord, gold_event: GoldEvent) -> bool:
    """Some predicted actor is a gold actor, and at least half of them are: a list of every
    name in the article matches nothing."""
    if not gold_event.actors:
        return True
    right = sum(name_matches(a, gold_event.actors) for a in pred.actors)
    return right > 0 and 2 * right >= len(pred.actors)


def match_events(
    pred: ArticleSummary, gold: GoldLabel, article: str, *, same_type: bool = True
) -> Pairs:
    """(predicted, gold) event pairs: the same type (unless ``same_type`` is False), grounded
    evidence (its text at its offsets), and evidence overlapping by sentence IoU of at least
    :data:`~summarizer.evals.spans.SPAN_MATCH`, or - when the gold names both - matching actors
    and location."""
    gold_spans = [locate(e.evidence, article) for e in gold.events]
    pred_spans = [
        verified_span(e.evidence.text, e.evidence.start, e.evidence.end, article)
        for e in pred.events
    ]

    def score(i: int, j: int) -> float:
        p, g = pred.events[i], gold.events[j]
        if (same_type and p.event_type != g.event_type) or pred_spans[i] is None:
            return 0.0  # an event whose evidence is not where it claims is not grounded
        iou = sentence_iou(pred_spans[i], gold_spans[j], article)
        where, who = location_matches(p.location, g), actors_match(p, g)
        by_parties = bool(g.actors and _gold_places(g)) and where and who
        if iou < SPAN_MATCH and not by_parties:
            return 0.0
        return 1.0 + iou + where + who + (p.event_type == g.event_type)

    return assign(range(len(pred.events)), range(len(gold.events)), score)


def source_matches(pred: EventRecord, gold_event: GoldEvent) -> bool:
    """The predicted source is one of the gold's acceptable names; gold ``[]`` (unattributed)
    wants none."""
    if not gold_event.source_attribution:
        return not pred.source_attribution
    return pred.source_attribution is not None and name_matches(
        pred.source_attribution, gold_event.source_attribution
    )


def match_sources(pred: ArticleSummary, gold: GoldLabel) -> Pairs:
    """(predicted, gold) source pairs whose names match (score at least
    :data:`~summarizer.evals.names.NAME_MATCH`), whatever their type."""

    def score(p: Source, g: GoldSource) -> float:
        value = name_score(p.name, [g.name, *g.aliases])
        return value if value >= NAME_MATCH else 0.0

    return assign(pred.sources, gold.sources, score)


def match_quotes(pred: ArticleSummary, gold: GoldLabel, article: str) -> Pairs:
    """(predicted, gold) quote pairs whose spans overlap by character IoU of at least
    :data:`~summarizer.evals.spans.SPAN_MATCH`."""
    gold_spans = [locate(q.text, article) for q in gold.quotes]
    pred_spans = [verified_span(q.text, q.start, q.end, article) for q in pred.quotes]

    def score(i: int, j: int) -> float:
        iou = char_iou(pred_spans[i], gold_spans[j])
        return iou if iou >= SPAN_MATCH else 0.0

    return assign(range(len(pred.quotes)), range(len(gold.quotes)), score)


def speaker_matches(pred: ArticleSummary, gold: GoldLabel, pair: tuple[int, int]) -> bool:
    quote, expected = pred.quotes[pair[0]], gold.quotes[pair[1]]
    return name_matches(quote.speaker, [expected.speaker, *expected.speaker_aliases])
