"""Reading event records out of batch results, and consolidated events in and out of JSONL."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from summarizer.batch.results import numbered_lines, read_records
from summarizer.datamodel.errors import InputError
from summarizer.datamodel.schemas import ArticleSummary
from summarizer.dataset.consolidate import Consolidated, mention_key
from summarizer.dataset.dates import parse_published
from summarizer.dataset.mentions import Mention


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
    latest: dict[str, list[Mention] | None] = {}  # None: an error record
    read = MentionsRead()
    for record in read_records(path):  # one record at a time; only its mentions are kept
        if record.id in latest:
            read.duplicates += 1
            del latest[record.id]  # a later record counts in the later one's place
        if record.status == "ok" and record.summary is not None:
            latest[record.id] = mentions_of(record.id, record.summary, record.date)
        else:
            latest[record.id] = None
    for mentions in latest.values():
        if mentions is None:
            read.errors += 1
        else:
            read.articles += 1
            read.mentions += mentions
    return read


def write_events(path: Path, events: Iterable[Consolidated]) -> None:
    """``events`` as JSONL, written one at a time as they come (then renamed into place)."""
    from summarizer.datamodel.files import write_private

    write_private(path, (json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in events))


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


def counted(events: Iterable[Consolidated], counts: Counter[str]) -> Iterator[Consolidated]:
    """``events`` as they pass, counted in ``counts`` (events, several, disagree)."""
    for event in events:
        counts["events"] += 1
        counts["several"] += len(event.mentions) > 1
        counts["disagree"] += any(f.get("disagree") for f in event.figures.values())
        yield event
