"""Story seeds: several articles about one real-world event (German and English, differing
figures and attributions) and distractors about similar events elsewhere or on other days
(``evals/stories/``: one ``.txt`` per article, gold in ``stories.json``).

Each article's gold event has a cluster id, its evidence sentence, place, country, date and its
casualty claims. A run summarizes every article (or, for the oracle, takes the gold events),
consolidates the events across articles (:mod:`summarizer.dataset.consolidate`) and scores:

* **clusters**, B-cubed precision, recall and F1 over the gold events: each gold event is found
  as the predicted event of its article whose evidence overlaps its evidence sentence (none
  found: a cluster of its own); precision of a gold event is the share of its predicted
  cluster's gold events that share its gold cluster, recall the share of its gold cluster found
  in its predicted cluster;
* **claims**: the share of gold casualty claims that the found event states with the same kind
  and range (``claim_range_accuracy``), and of those, the share whose claimant names the gold
  claimant (``claimant_accuracy``: the folded words of one contain the other's);
* **places**: the share of gold events whose found event, consolidated, lies in the gold
  country (``geo_country_accuracy``: ISO alpha-3) and within :data:`GEO_KM` of the gold town
  (``geo_point_accuracy``); an event without coordinates, or a gold event not found, misses.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.datamodel.schemas import EventRecord, EvidenceSpan, Location
from summarizer.datamodel.types import Language
from summarizer.dataset.consolidate import consolidate
from summarizer.dataset.dates import parse_published
from summarizer.dataset.mentions import Mention, Rule
from summarizer.inputs import article_request
from summarizer.text.lexicon import fold_token

#: A place within this distance (km) of the gold town is right (a town's extent; a same-name
#: town elsewhere, or the region's capital 200 km away, is not).
GEO_KM = 25.0

STORIES_DIR = Path(__file__).resolve().parents[2] / "evals" / "stories"


@dataclass(frozen=True)
class StoryArticle:
    id: str
    language: Language
    published: str
    text: str
    events: list[dict[str, Any]]


def load_stories(directory: Path = STORIES_DIR) -> list[StoryArticle]:
    gold = json.loads((directory / "stories.json").read_text(encoding="utf-8"))["articles"]
    return [
        StoryArticle(
            id=name,
            language=entry["language"],
            published=entry["published"],
            text=(directory / f"{name}.txt").read_text(encoding="utf-8"),
            events=entry["events"],
        )
        for name, entry in gold.items()
    ]


def oracle_events(article: StoryArticle) -> list[EventRecord]:
    """The gold events as event records (what a perfect model would write)."""
    events = []
    for gold in article.events:
        start = article.text.index(gold["evidence"])
        events.append(
            EventRecord(
                event_type=gold["event_type"],
                description=gold["evidence"],
                actors=gold.get("actors", []),
                location=Location(place=gold["place"], country=gold["country"]),
                evidence=EvidenceSpan(
                    text=gold["evidence"], start=start, end=start + len(gold["evidence"])
                ),
            )
        )
    return events


def _overlap(a: EvidenceSpan, start: int, end: int) -> int:
    if a.start is None or a.end is None:
        return 0
    return max(0, min(a.end, end) - max(a.start, start))


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance of two (latitude, longitude) points in km (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _place_scores(gold: dict[str, Any], geo: dict[str, Any] | None) -> tuple[bool, bool]:
    """(right country, within :data:`GEO_KM` of the gold town) of a found event's place."""
    if not geo:
        return False, False
    country = geo.get("iso3") == gold["iso3"]
    if geo.get("latitude") is None or geo.get("longitude") is None:
        return country, False
    near = distance_km((gold["latitude"], gold["longitude"]), (geo["latitude"], geo["longitude"]))
    return country, near <= GEO_KM


def _same_claimant(predicted: str | None, gold: str | None) -> bool:
    if not predicted or not gold:
        return predicted == gold
    ours = {fold_token(w) for w in predicted.split()}
    theirs = {fold_token(w) for w in gold.split()}
    return ours <= theirs or theirs <= ours


def score(
    articles: list[StoryArticle], events: dict[str, list[EventRecord]], rule: Rule | None = None
) -> dict[str, Any]:
    """Cluster and claim scores of the ``events`` predicted per article (module docstring)."""
    mentions = [
        Mention.of(a.id, a.language, parse_published(a.published), i, event)
        for a in articles
        for i, event in enumerate(events.get(a.id, []))
    ]
    consolidated = consolidate(mentions, rule)
    cluster_of = {(m["article"], m["event"]): c.id for c in consolidated for m in c.mentions}
    geo_of = {c.id: c.geo for c in consolidated}
    gold_items = []  # (gold cluster, predicted cluster, gold event, predicted event or None)
    for article in articles:
        for number, gold in enumerate(article.events):
            start = article.text.index(gold["evidence"])
            end = start + len(gold["evidence"])
            candidates = [
                (_overlap(e.evidence, start, end), i)
                for i, e in enumerate(events.get(article.id, []))
            ]
            best = max(candidates, default=(0, None))
            found = best[1] if best[0] > 0 else None
            predicted = (
                cluster_of[(article.id, found)]
                if found is not None
                else f"alone:{article.id}:{number}"
            )
            event = events[article.id][found] if found is not None else None
            gold_items.append((gold["cluster"], predicted, gold, event))
    precision = recall = 0.0
    for gold_cluster, predicted, _, _ in gold_items:
        same_predicted = [g for g, p, _, _ in gold_items if p == predicted]
        same_gold = [p for g, p, _, _ in gold_items if g == gold_cluster]
        shared = sum(1 for g in same_predicted if g == gold_cluster)
        precision += shared / len(same_predicted)
        recall += same_gold.count(predicted) / len(same_gold)
    count = len(gold_items)
    precision, recall = precision / count, recall / count
    placed = [
        _place_scores(gold, geo_of.get(predicted) if event is not None else None)
        for _, predicted, gold, event in gold_items
    ]
    claims = ranges = claimants = 0
    for _, _, gold, event in gold_items:
        for claim in gold["claims"]:
            claims += 1
            if event is None:
                continue
            same = [
                c
                for c in event.casualty_claims
                if c.kind == claim["kind"] and (c.min, c.max) == (claim["min"], claim["max"])
            ]
            if same:
                ranges += 1
                claimants += any(_same_claimant(c.claimant, claim["claimant"]) for c in same)
    return {
        "articles": len(articles),
        "gold_events": count,
        "clusters_predicted": len(consolidated),
        "bcubed_precision": round(precision, 4),
        "bcubed_recall": round(recall, 4),
        "bcubed_f1": round(2 * precision * recall / (precision + recall), 4)
        if precision + recall
        else 0.0,
        "gold_claims": claims,
        "claim_range_accuracy": round(ranges / claims, 4) if claims else None,
        "claimant_accuracy": round(claimants / ranges, 4) if ranges else None,
        "geo_country_accuracy": round(sum(c for c, _ in placed) / count, 4),
        "geo_point_accuracy": round(sum(p for _, p in placed) / count, 4),
        "consolidated": [
            {"id": c.id, "articles": [m["article"] for m in c.mentions]} for c in consolidated
        ],
    }


def predicted_events(
    articles: list[StoryArticle], settings: Any | None
) -> dict[str, list[EventRecord]]:
    """Each article's events: summarized with ``settings`` (casualty claims included), or the
    gold events with claims read from the text when ``settings`` is None (the oracle)."""
    from summarizer.grounding.casualties import with_claims
    from summarizer.text.lexicon import article_names

    if settings is None:
        events = {}
        for article in articles:
            records = oracle_events(article)
            names = article_names(article.text, article.language)
            with_claims(records, article.text, article.language, names)
            events[article.id] = records
        return events
    from summarizer.pipeline import Summarizer

    summarizer = Summarizer(settings)
    found = {}
    for article in articles:
        request = article_request(article.text, language=article.language, date=article.published)
        found[article.id] = summarizer.summarize(request).events
    return found


def events_from_results(path: Path) -> dict[str, list[EventRecord]]:
    """Each article's events from a batch results file (a run of ``evals/stories/feed.jsonl``
    with any provider)."""
    from summarizer.batch.results import read_records

    found: dict[str, list[EventRecord]] = {}
    for record in read_records(path):
        if record.summary is not None:
            found[record.id] = record.summary.events
    return found
