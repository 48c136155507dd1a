"""The guided pipeline's records through the checks every provider's output passes: the
event records built from the rules' candidates (descriptions restated by the model, or made from
the event's own fields where the restatement failed in the other language), and the assembled
draft (headline, summary, key points, entities, quotes, sources)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from summarizer.datamodel.issues import GroundingIssue
from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.schemas import (
    Entity,
    EventRecord,
    EventType,
    EvidenceSpan,
)
from summarizer.grounding.casualties import with_claims
from summarizer.grounding.context import GroundingRun
from summarizer.grounding.responses import EventList, SummaryDraft
from summarizer.pipeline.calls import request_context
from summarizer.pipeline.rule_records import Candidate, event_place, event_source
from summarizer.text.segmentation import paragraph_around
from summarizer.text.speakers import DATELINE, sentence_speaker
from summarizer.text.triggers import triggers

M = TypeVar("M", bound=BaseModel)


def checked_summary(
    request: ArticleRequest, fields: dict[str, Any]
) -> tuple[dict[str, Any], list[GroundingIssue]]:
    """Headline, summary, key points, entities, quotes and sources through the summary checks
    every provider's draft passes (lenient: what fails is repaired, dropped or flagged, and
    recorded)."""
    draft_fields = {k: fields[k] for k in SummaryDraft.model_fields if k in fields}
    if not draft_fields.get("key_points") or not draft_fields.get("summary"):
        return fields, []
    checked, issues = _validated(SummaryDraft, draft_fields, request, "summary")
    return {**fields, **checked.model_dump(warnings=False)}, issues


def _validated(
    model: type[M], data: dict[str, Any], request: ArticleRequest, task: str
) -> tuple[M, list[GroundingIssue]]:
    """``data`` validated as ``model`` under the checks of the last allowed reply (what fails
    is repaired, dropped or flagged, never re-asked), with what they recorded."""
    run = GroundingRun(max_attempts=1, task=task, attempts=1)
    checked = model.model_validate(data, context=request_context(request, run))
    return checked, list(run.issues)


def checked_events(
    request: ArticleRequest,
    candidates: list[Candidate],
    descriptions: dict[int, str],
    names: frozenset[str],
    entities: list[Entity],
    templated: frozenset[int] = frozenset(),
) -> tuple[list[dict[str, Any]], list[GroundingIssue]]:
    """The candidates as event records, through the event checks every provider's events
    pass (lenient: what fails is repaired or dropped and recorded)."""
    article = request.text
    records = []
    for candidate in candidates:
        paragraph = paragraph_around(article, candidate.start, candidate.end)
        place, region = event_place(candidate.text)
        trigger_at = _first_trigger(candidate)
        dateline = DATELINE.match(candidate.text)
        body = candidate.start + (dateline.end() if dateline else 0)
        named = [e.name for e in entities if e.name in article[body : candidate.end]]
        before = [n for n in named if article.find(n, body) < trigger_at]
        if candidate.event_type is EventType.statement:
            speaker, _ = sentence_speaker(candidate.text, request.language, names)
            before = [speaker] if speaker else before
        records.append(
            EventRecord(
                event_type=candidate.event_type,
                # a templated description is made from the fields once the figures are read
                description="-" if candidate.start in templated else descriptions[candidate.start],
                actors=before[:2],
                targets=[n for n in named if n not in before][:2],
                location={"place": place, "region": region},
                time={"text": candidate.time},
                source_attribution=event_source(candidate.text, paragraph, request.language, names),
                certainty=candidate.certainty,
                evidence=EvidenceSpan(
                    text=article[candidate.start : candidate.end],
                    start=candidate.start,
                    end=candidate.end,
                ),
            )
        )
    with_claims(records, article, request.language, names)  # the figures, read by kind
    for candidate, record in zip(candidates, records, strict=True):
        if candidate.start in templated:
            record.description = described(record, request.output_language)
    drafts = [r.model_dump(exclude={"casualty_claims"}) for r in records]
    checked, issues = _validated(EventList, {"events": drafts}, request, "events")
    return [e.model_dump(warnings=False) for e in checked.events], issues


_TYPE_NAMES = {
    "de": {
        "attack": "Angriff", "armed_clash": "Kämpfe", "meeting": "Treffen",
        "statement": "Erklärung", "agreement": "Abkommen", "protest": "Protest",
        "disaster": "Katastrophe", "accident": "Unglück", "economic": "Wirtschaftsmeldung",
        "legal": "Justiz", "political": "Politische Entscheidung", "cyberattack": "Cyberangriff",
        "other": "Ereignis",
    },
    "en": {
        "attack": "Attack", "armed_clash": "Fighting", "meeting": "Meeting",
        "statement": "Statement", "agreement": "Agreement", "protest": "Protest",
        "disaster": "Disaster", "accident": "Accident", "economic": "Economic news",
        "legal": "Legal decision", "political": "Political decision", "cyberattack": "Cyberattack",
        "other": "Event",
    },
}  # fmt: skip


def described(event: EventRecord, language: str) -> str:
    """A description made from the event's own fields, in ``language`` ("Attack in Poltawa, 2
    killed, according to Behörden."): where the model's restatement is not supported, nothing
    it invented is delivered."""
    german = language == "de"
    parts = [_TYPE_NAMES["de" if german else "en"][str(event.event_type)]]
    place = event.location.place or event.location.region
    if place:
        parts[0] += f" in {place}"
    if event.fatalities is not None:
        parts.append(f"{event.fatalities} {'Tote' if german else 'killed'}")
    if event.injured is not None:
        parts.append(f"{event.injured} {'Verletzte' if german else 'injured'}")
    if event.source_attribution:
        parts.append(f"{'laut' if german else 'according to'} {event.source_attribution}")
    return ", ".join(parts) + "."


def _first_trigger(candidate: Candidate) -> int:
    """Where in the article the candidate's event word is (its middle when none is found)."""
    found = triggers(candidate.text, "de") | triggers(candidate.text, "en")
    offset = min(found.values()) if found else len(candidate.text) // 2
    return candidate.start + offset
