"""Scores of the structured records: events (and each of their fields), quotes, sources.

Every recall has its precision beside it, and every field accuracy is reported twice:

* ``X_accuracy`` - right values over **all gold events**: a missed event is wrong on every field;
* ``X_accuracy_predicted`` - right values over **all predicted events**: an invented event (or
  an invented figure on a real one) is wrong.

Events pair one to one for the field accuracies by evidence, actors and place, whatever their
type (so that ``type_accuracy`` can judge the type); ``event_precision``/``recall``/``f1`` pair
only events of the same type (:func:`~summarizer.evals.alignment.match_events`). A quote counts
for ``quote_precision`` only when it is a gold quote *and* its speaker is right; quote spam (every
passage in quotation marks, one speaker for all) earns recall, not precision.
"""

from __future__ import annotations

from collections.abc import Callable

from summarizer.datamodel.schemas import ArticleSummary, EventRecord
from summarizer.evals.alignment import (
    location_matches,
    match_events,
    match_quotes,
    match_sources,
    source_matches,
    speaker_matches,
)
from summarizer.evals.gold import GoldEvent, GoldLabel
from summarizer.evals.names import tokens

Scores = dict[str, float | None]


def prf(matched: int, n_pred: int, n_gold: int) -> tuple[float | None, ...]:
    """Precision, recall, F1. Nothing to find and nothing found: not applicable (None).
    Nothing found: precision 0 (not None), so an empty answer cannot skip the average."""
    if n_pred == n_gold == 0:
        return None, None, None
    precision = matched / n_pred if n_pred else 0.0
    recall = matched / n_gold if n_gold else None
    if not precision or recall is None or not recall:
        return precision, recall, 0.0
    return precision, recall, 2 * precision * recall / (precision + recall)


def time_matches(predicted: EventRecord, gold: GoldEvent) -> bool:
    """Both without a time, or the predicted time names at least half of the gold time's words
    ("am Donnerstagabend" for "am Donnerstagabend"; not "nach Behördenangaben" for none)."""
    written = predicted.time.text or predicted.time.date
    if not gold.time or not written:
        return not gold.time and not written
    expected = tokens(gold.time)
    found = set(tokens(written))
    return sum(t in found for t in expected) * 2 >= len(expected)


#: How each field of a predicted event is judged against its gold event.
FIELDS: dict[str, Callable[[EventRecord, GoldEvent], bool]] = {
    "fatalities": lambda p, g: p.fatalities == g.fatalities,
    "injured": lambda p, g: p.injured == g.injured,
    "type": lambda p, g: p.event_type == g.event_type,
    "location": lambda p, g: location_matches(p.location, g),
    "source": source_matches,
    "certainty": lambda p, g: p.certainty == g.certainty,
    "time": time_matches,
}
#: The metric names :func:`event_scores` reports.
EVENT_METRICS: tuple[str, ...] = (
    "event_precision",
    "event_recall",
    "event_f1",
    *(f"{field}_accuracy" for field in FIELDS),
    *(f"{field}_accuracy_predicted" for field in FIELDS),
)


def event_scores(pred: ArticleSummary, gold: GoldLabel, article: str) -> Scores:
    typed = match_events(pred, gold, article)
    precision, recall, f1 = prf(len(typed), len(pred.events), len(gold.events))
    scores: Scores = {"event_precision": precision, "event_recall": recall, "event_f1": f1}
    pairs = [
        (pred.events[i], gold.events[j])
        for i, j in match_events(pred, gold, article, same_type=False)
    ]
    for field, agrees in FIELDS.items():
        right = sum(agrees(p, g) for p, g in pairs)
        scores[f"{field}_accuracy"] = right / len(gold.events) if gold.events else None
        scores[f"{field}_accuracy_predicted"] = (
            right / len(pred.events) if pred.events else (0.0 if gold.events else None)
        )
    return scores


QUOTE_METRICS: tuple[str, ...] = ("quote_precision", "quote_recall", "quote_attribution")


def quote_scores(pred: ArticleSummary, gold: GoldLabel, article: str) -> Scores:
    pairs = match_quotes(pred, gold, article)
    attributed = [speaker_matches(pred, gold, pair) for pair in pairs]
    if not pred.quotes:
        precision = 0.0 if gold.quotes else None
    else:
        precision = sum(attributed) / len(pred.quotes)
    return {
        "quote_precision": precision,
        "quote_recall": len(pairs) / len(gold.quotes) if gold.quotes else None,
        "quote_attribution": sum(attributed) / len(attributed) if attributed else None,
    }


SOURCE_METRICS: tuple[str, ...] = ("source_precision", "source_recall", "source_f1")


def source_scores(pred: ArticleSummary, gold: GoldLabel) -> Scores:
    """The summary's attributed sources against the gold's, by name (one to one)."""
    pairs = match_sources(pred, gold)
    p, r, f = prf(len(pairs), len(pred.sources), len(gold.sources))
    return {"source_precision": p, "source_recall": r, "source_f1": f}
