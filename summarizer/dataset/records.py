"""Reading event records out of batch results, and consolidated events in and out of JSONL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

from summarizer.batch.results import read_records
from summarizer.datamodel.errors import InputError
from summarizer.datamodel.schemas import ArticleSummary
from summarizer.dataset.consolidate import Consolidated, Mention
from summarizer.dataset.dates import parse_published


def mentions_of(article: str, summary: ArticleSummary, published: str | None) -> list[Mention]:
    """The mentions of one article's summary (its events, in order)."""
    day = parse_published(published)
    return [
        Mention.of(article, summary.language, day, index, event)
        for index, event in enumerate(summary.events)
    ]


def read_mentions(path: Path) -> Iterator[Mention]:
    """The mentions of every ok record of a batch results file (JSONL of batch records; the
    record's ``date`` is the publication date)."""
    for record in read_records(path):
        if record.status == "ok" and record.summary is not None:
            yield from mentions_of(record.id, record.summary, record.date)


def write_events(path: Path, events: list[Consolidated]) -> None:
    from summarizer.datamodel.files import write_private

    write_private(path, "".join(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in events))


def read_events(path: Path) -> list[Consolidated]:
    """Consolidated events from a JSONL file written by ``events consolidate``."""
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    events = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    events.append(Consolidated(**json.loads(line)))
                except (ValueError, TypeError):
                    raise InputError(f"{path}:{number}: not a consolidated event") from None
    return events
