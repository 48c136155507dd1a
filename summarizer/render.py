"""Render an :class:`ArticleSummary` as a readable Markdown report."""

from __future__ import annotations

from summarizer.datamodel.issues import IssueKind
from summarizer.datamodel.schemas import ArticleSummary, EventRecord


def _event_line(event: EventRecord) -> str:
    where = ", ".join(
        p for p in (event.location.place, event.location.region, event.location.country) if p
    )
    description = event.description.strip().rstrip(".")
    parts = [f"**{event.event_type.value}** ({event.certainty.value}): {description}"]
    if event.actors:
        parts.append(f"actors: {', '.join(event.actors)}")
    if event.targets:
        parts.append(f"targets: {', '.join(event.targets)}")
    if where:
        parts.append(f"where: {where}")
    if event.time.text or event.time.date:
        parts.append(f"when: {' / '.join(t for t in (event.time.text, event.time.date) if t)}")
    if event.fatalities is not None:
        parts.append(f"killed: {event.fatalities}")
    if event.injured is not None:
        parts.append(f"injured: {event.injured}")
    if event.casualty_details:
        parts.append(f"details: {event.casualty_details}")
    if event.source_attribution:
        parts.append(f"according to: {event.source_attribution}")
    return "; ".join(parts) + "."


def _span(start: int | None, end: int | None, offsets: bool) -> str:
    return f" `[{start}:{end}]`" if offsets else ""


def _support_lines(summary: ArticleSummary, offsets: bool) -> list[str]:
    """Each summary sentence with the article sentences that support it."""
    lines = ["## Summary, sentence by sentence", ""]
    for support in summary.summary_support:
        verdict = {True: "supported", False: "**not supported**", None: "not checkable"}[
            support.supported
        ]
        score = "" if support.score is None else f", {support.score:.0%} of its words"
        lines.append(f"- {support.sentence} ({verdict}{score})")
        lines += [f"  > {ev.text}{_span(ev.start, ev.end, offsets)}  " for ev in support.evidence]
    lines.append("")
    return lines


def summary_markdown(summary: ArticleSummary, *, offsets: bool = False) -> str:
    """A Markdown report: headline, summary, key points with their evidence, the summary's
    sentence-by-sentence support, events, quotes, entities, sources, and how it was made.
    ``offsets``: show each passage's character offsets ``[start:end]`` (``-v``)."""
    lines = [f"# {summary.headline}", "", summary.summary, ""]
    if summary.key_points:
        lines += ["## Key points", ""]
        for point in summary.key_points:
            ev = point.evidence
            lines.append(f"- {point.text}  \n  > {ev.text}{_span(ev.start, ev.end, offsets)}")
        lines.append("")
    if summary.summary_support:
        lines += _support_lines(summary, offsets)
    if summary.events:
        lines += ["## Events", ""]
        for event in summary.events:
            ev = event.evidence
            lines.append(
                f"- {_event_line(event)}  \n  > {ev.text}{_span(ev.start, ev.end, offsets)}"
            )
        lines.append("")
    if summary.quotes:
        lines += ["## Quotes", ""]
        for quote in summary.quotes:
            translation = f" ({quote.translation})" if quote.translation else ""
            lines.append(
                f"- **{quote.speaker}**: “{quote.text}”{translation}"
                f"{_span(quote.start, quote.end, offsets)}"
            )
        lines.append("")
    if summary.entities:
        if any(e.description for e in summary.entities):
            lines += ["## Entities", "", "| name | type | role |", "|---|---|---|"]
            lines += [
                f"| {e.name} | {e.type.value} | {e.description or '–'} |" for e in summary.entities
            ]
        else:
            lines += ["## Entities", "", "| name | type |", "|---|---|"]
            lines += [f"| {e.name} | {e.type.value} |" for e in summary.entities]
        lines.append("")
    if summary.sources:
        lines += ["## Sources", ""]
        lines += [f"- {s.name} ({s.type.value})" for s in summary.sources]
        lines.append("")
    meta = summary.metadata
    if meta is not None:
        lines += [
            "## Run",
            "",
            f"- article language: {summary.language}, output language: {summary.output_language}",
            f"- provider: {meta.provider}, model: {meta.model}, mode: {meta.mode}, "
            f"prompt version: {meta.prompt_version}",
            f"- tokens: {meta.usage.prompt_tokens} in / {meta.usage.completion_tokens} out; "
            f"{meta.llm_calls} replies, {meta.reasks} re-asks, "
            f"{meta.transport_retries} transport retries; {meta.latency_s:.1f} s",
        ]
        final = [issue for issue in meta.issues if issue.final]
        notes = [i.warning for i in final if i.kind is IssueKind.many_stories]
        warnings = [i.warning for i in final if i.kind is not IssueKind.many_stories]
        if notes:
            lines += ["", "### About the input", ""]
            lines += [f"- {note}" for note in notes]
        if warnings:
            lines += [
                "",
                "### Warnings (removed or flagged as ungrounded after the last re-ask)",
                "",
            ]
            lines += [f"- {w}" for w in warnings]
        lines.append("")
    return "\n".join(lines)
