"""Reading event records out of batch results, and consolidated events in and out of JSONL."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from summarizer.batch.results import numbered_lines, read_records
from summarizer.datamodel.errors import InputError
from summarizer.datamodel.schemas import ArticleSummary, BatchRecord
from summarizer.dataset.consolidate import Consolidated, Mention, mention_key
from summarizer.dataset.dates import parse_published


def mentions_of(article: str, summary: ArticleSummary, published: str | None) -> list[Mention]:
    """The mentions of one article's summary (its events, in order)."""
    day = parse_published(published)
    return [
        Mention.of(article, summary.language, day, index, event)
        for index, event in enumerate(summary.events)
    ]


@dataclass
class MentionsRead:
    """What a batch results file held: the mentions of its ok records, and what was left out."""

    mentions: list[Mention] = field(default_factory=list)
    articles: int = 0
    errors: int = 0
    duplicates: int = 0


def read_mentions(path: Path) -> MentionsRead:
    """The mentions of every ok record of a batch results file (JSONL of batch records; the
    record's ``date`` is the publication date). An article id recorded more than once (a
    rerun, a file given twice) counts once: its last record wins, as in a resumed batch."""
    latest: dict[str, BatchRecord] = {}
    read = MentionsRead()
    for record in read_records(path):
        if record.id in latest:
            read.duplicates += 1
        latest[record.id] = record
    for record in latest.values():
        if record.status == "ok" and record.summary is not None:
            read.articles += 1
            read.mentions += mentions_of(record.id, record.summary, record.date)
        else:
            read.errors += 1
    return read


def write_events(path: Path, events: list[Consolidated]) -> None:
    from summarizer.datamodel.files import write_private

    write_private(path, "".join(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in events))


def previous_ids(path: Path) -> dict[str, str]:
    """Mention key -> event id of an earlier dataset (``events consolidate --previous``)."""
    return {
        mention_key(str(m["article"]), m["evidence"]): event.id
        for event in read_events(path)
        for m in event.mentions
    }


def read_events(path: Path) -> list[Consolidated]:
    """Consolidated events from a JSONL file written by ``events consolidate``."""
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    from pydantic import TypeAdapter, ValidationError

    from summarizer.datamodel.schemas import EventType

    adapter = TypeAdapter(Consolidated)
    events = []
    for number, line in numbered_lines(path, "consolidated events file"):
        try:
            event = adapter.validate_json(line)
            EventType(event.event_type)
        except (ValidationError, ValueError):
            raise InputError(f"{path}:{number}: not a consolidated event") from None
        events.append(event)
    return events
