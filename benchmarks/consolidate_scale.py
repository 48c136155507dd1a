"""Consolidation at scale (not a test; numbers go in the README), with a war's skew: most records
in one country, many without a place below the country, towns struck again and again.

Synthetic stories copy one story seed's reports (2-4 articles, German and English, with their
actors and claims) to a new date, a town drawn from a fixed pool (so towns recur on other days,
as in a war) and, for ``--dominant`` of them, the one dominant country; ``--vague`` of the
reports name no place below the country. Reports the time to build the mentions (dates
resolved, places keyed), to group them and to consolidate them (with the gazetteer), the events
found against the stories made, and the process's peak resident memory as the OS measures it
(``ru_maxrss``), in a fresh process per size:

    python benchmarks/consolidate_scale.py --records 1000000 \
        --out benchmarks/results/consolidate_scale.json
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from summarizer.datamodel.schemas import EventRecord, EvidenceSpan, Location
from summarizer.dataset.consolidate import iter_consolidated
from summarizer.dataset.grouping import group, sweep_in_memory
from summarizer.dataset.mentions import Mention
from summarizer.dataset.records import counted, write_events
from summarizer.evals.stories import load_stories, predicted_events

LETTERS = "bcdfghklmnprstvz"
VOWELS = "aeiou"


def place_name(rng: random.Random) -> str:
    """A made-up place name ("Kavolemi"): distinct names are not similar by chance."""
    return "".join(rng.choice(LETTERS) + rng.choice(VOWELS) for _ in range(4)).capitalize()


def synthetic(
    records: int, dominant: float, vague: float, seed: int = 0
) -> tuple[list[Mention], int]:
    """The mentions of ``records`` reports (made and keyed one at a time, as a results file is
    read), and how many stories they tell."""
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
    towns = sorted({place_name(rng) for _ in range(max(100, records // 50))})
    countries = [f"Country{n}" for n in range(60)]
    mentions: list[Mention] = []
    story = 0
    while len(mentions) < records:
        template = stories[rng.choice(sorted(stories))]
        story += 1
        shift = timedelta(days=rng.randrange(730))
        town = rng.choice(towns)
        country = "Ukraine" if rng.random() < dominant else rng.choice(countries)
        for article, language, published, event in template[: records - len(mentions)]:
            text = f"Report {len(mentions)} of story {story}."
            place = None if rng.random() < vague else town
            copy = EventRecord(
                event_type=event.event_type,
                description=text,
                actors=event.actors,
                location=Location(place=place, country=country),
                evidence=EvidenceSpan(text=text, start=0, end=len(text)),
                casualty_claims=event.casualty_claims,
            )
            mentions.append(Mention.of(f"{story}/{article}", language, published + shift, 0, copy))  # type: ignore[arg-type]
    return mentions, story


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--dominant", type=float, default=0.9, help="share in one country")
    parser.add_argument("--vague", type=float, default=0.2, help="share without a place")
    parser.add_argument("--engine", choices=["memory", "duckdb"], default="memory")
    parser.add_argument("--out", type=Path, help="append the result to this JSON list")
    args = parser.parse_args()
    started = time.perf_counter()
    mentions, stories = synthetic(args.records, args.dominant, args.vague)
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    sweep = sweep_in_memory
    if args.engine == "duckdb":
        from summarizer.dataset.duckdb_sweep import sweep_in_duckdb

        sweep = sweep_in_duckdb
    groups = len(group(mentions, sweep=sweep))
    group_s = time.perf_counter() - started
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:  # groups again, builds, geocodes, writes
        events: Counter[str] = Counter()
        write_events(
            Path(folder) / "events.jsonl", counted(iter_consolidated(mentions, sweep=sweep), events)
        )
    consolidate_s = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Linux: KiB
    results = {
        "records": len(mentions),
        "engine": args.engine,
        "dominant_country_share": args.dominant,
        "without_place_share": args.vague,
        "synthetic_stories": stories,
        "groups": groups,
        "events_found": events["events"],
        "build_mentions_s": round(build_s, 1),
        "group_s": round(group_s, 1),
        "consolidate_and_write_s": round(consolidate_s, 1),
        "peak_rss_mb": round(peak_kb / 1024),
    }
    print(json.dumps(results, indent=2))
    if args.out:
        previous = json.loads(args.out.read_text()) if args.out.exists() else []
        previous = previous if isinstance(previous, list) else [previous]
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps([*previous, results], indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
