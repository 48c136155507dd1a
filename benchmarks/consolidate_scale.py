"""Consolidation at scale (not a test; numbers go in the README): 100,000 synthetic event
records, generated from the story seeds' events with varied places, countries and dates, on
this machine. Reports the time to build the mentions (dates resolved, places keyed), the time
to consolidate them, the events found, and the peak memory (tracemalloc) of each step.

Each synthetic story copies one story seed's reports (2-4 articles, German and English) to a
new place and date, so the expected number of events is known: one per synthetic story.

    python benchmarks/consolidate_scale.py --out benchmarks/results/consolidate_scale.json
"""

from __future__ import annotations

import argparse
import json
import random
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from summarizer.datamodel.schemas import EventRecord, EvidenceSpan, Location
from summarizer.dataset.consolidate import Mention, consolidate
from summarizer.evals.stories import load_stories, predicted_events

COUNTRIES = [f"country{n}" for n in range(60)]
LETTERS = "bcdfghklmnprstvz"
VOWELS = "aeiou"


def place_name(rng: random.Random) -> str:
    """A made-up place name ("Kavolemi"): distinct names are not similar by chance."""
    return "".join(rng.choice(LETTERS) + rng.choice(VOWELS) for _ in range(4)).capitalize()


def synthetic(records: int, seed: int = 0) -> tuple[list[tuple[str, str, date, EventRecord]], int]:
    """(article, language, published, event) of ``records`` reports, and how many stories."""
    rng = random.Random(seed)
    articles = load_stories()
    events = predicted_events(articles, None)
    stories: dict[str, list[tuple[str, str, date, EventRecord]]] = {}
    for article in articles:
        for event in events[article.id]:
            cluster = next(e["cluster"] for e in article.events)
            stories.setdefault(cluster, []).append(
                (article.id, article.language, date.fromisoformat(article.published), event)
            )
    reports: list[tuple[str, str, date, EventRecord]] = []
    story = 0
    while len(reports) < records:
        template = stories[rng.choice(sorted(stories))]
        story += 1
        shift = timedelta(days=rng.randrange(730))
        place, country = place_name(rng), rng.choice(COUNTRIES)
        for article, language, published, event in template:
            text = f"Report {len(reports)} of story {story}."
            copy = EventRecord(
                event_type=event.event_type,
                description=text,
                actors=event.actors,
                location=Location(place=place, country=country),
                evidence=EvidenceSpan(text=text, start=0, end=len(text)),
                casualty_claims=event.casualty_claims,
            )
            reports.append((f"{story}/{article}", language, published + shift, copy))
    return reports[:records], story


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    reports, stories = synthetic(args.records)
    tracemalloc.start()
    started = time.perf_counter()
    mentions = [Mention.of(a, lang, pub, 0, e) for a, lang, pub, e in reports]  # type: ignore[arg-type]
    build_s = time.perf_counter() - started
    build_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    started = time.perf_counter()
    events = consolidate(mentions)
    consolidate_s = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    results = {
        "records": len(mentions),
        "synthetic_stories": stories,
        "events_found": len(events),
        "build_mentions_s": round(build_s, 2),
        "consolidate_s": round(consolidate_s, 2),
        "total_s": round(build_s + consolidate_s, 2),
        "peak_mb_building": round(build_peak / 2**20, 1),
        "peak_mb_consolidating": round(peak / 2**20, 1),
    }
    print(json.dumps(results, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
