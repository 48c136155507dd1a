"""Merge the results of the parts of a long article into one.

Offsets found in a part are shifted to offsets in the whole article; key points, quotes and
events that two overlapping parts both found are kept once (same evidence span, or the same
text); entities and sources are kept once per name.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from summarizer.pipeline.chunking import Chunk


def shift_offsets(value: Any, offset: int) -> Any:
    """A copy of ``value`` (dumped models) with every ``start``/``end`` pair moved by ``offset``."""
    if isinstance(value, list):
        return [shift_offsets(item, offset) for item in value]
    if not isinstance(value, dict):
        return value
    shifted = {key: shift_offsets(item, offset) for key, item in value.items()}
    if isinstance(shifted.get("start"), int) and isinstance(shifted.get("end"), int):
        shifted["start"] += offset
        shifted["end"] += offset
    return shifted


def _fold(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def _unique(items: Iterable[dict[str, Any]], *keys: Callable[[dict[str, Any]], Hashable]) -> list:
    """Items in order, without those that share any of the ``keys`` with an earlier one."""
    seen: set[tuple[int, Hashable]] = set()
    kept = []
    for item in items:
        marks = {(number, key(item)) for number, key in enumerate(keys)}
        marks = {mark for mark in marks if mark[1] not in (None, "", (None, None))}
        if marks & seen:
            continue
        seen |= marks
        kept.append(item)
    return kept


def _span(item: dict[str, Any]) -> tuple[Any, Any]:
    return item.get("start"), item.get("end")


def merge_parts(
    parts: list[tuple[Chunk, dict[str, Any], list[dict[str, Any]]]],
) -> dict[str, Any]:
    """One draft (key points, entities, quotes, sources) and one event list from the parts'
    drafts and events, with article offsets."""
    drafts = [shift_offsets(draft, chunk.start) for chunk, draft, _ in parts]
    return {
        "key_points": _unique(
            (p for d in drafts for p in d["key_points"]),
            lambda p: _span(p["evidence"]),
            lambda p: _fold(p["text"]),
        ),
        "entities": _unique((e for d in drafts for e in d["entities"]), lambda e: _fold(e["name"])),
        "quotes": _unique(
            (q for d in drafts for q in d["quotes"]), _span, lambda q: _fold(q["text"])
        ),
        "sources": _unique((s for d in drafts for s in d["sources"]), lambda s: _fold(s["name"])),
        "events": merge_events([(chunk, found) for chunk, _, found in parts]),
    }


def merge_events(parts: list[tuple[Chunk, list[dict[str, Any]]]]) -> list[dict[str, Any]]:
    """The parts' events with article offsets, each kept once (same evidence span, or the same
    type and description)."""
    return _unique(
        (event for chunk, found in parts for event in shift_offsets(found, chunk.start)),
        lambda e: _span(e["evidence"]),
        lambda e: (e.get("event_type"), _fold(e.get("description"))),
    )


def partial_summaries(parts: list[tuple[Chunk, dict[str, Any], Any]]) -> str:
    """The parts' headlines and summaries, numbered, as input of the combine call."""
    return "\n\n".join(
        f"Part {number} of {len(parts)}: {draft['headline']}\n{draft['summary']}"
        for number, (_, draft, _) in enumerate(parts, start=1)
    )
