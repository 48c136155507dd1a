"""What went wrong in one prediction, item by item: the lists the HTML report shows first.

Built on the same matching as the metrics (:mod:`summarizer.evals.alignment`,
:mod:`summarizer.evals.facts`), so every list explains a score: a missed fact lowers
``key_fact_coverage``, an extra entity ``entity_precision``, and so on.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from summarizer.datamodel.schemas import ArticleSummary
from summarizer.datamodel.types import Language
from summarizer.evals.alignment import (
    match_entities,
    match_events,
    match_quotes,
    source_matches,
    speaker_matches,
)
from summarizer.evals.gold import GoldLabel
from summarizer.evals.metrics import fact_verdicts, predicted_spans, unsupported_numbers
from summarizer.evals.spans import verified_span
from summarizer.evals.support_metrics import support_findings


class Diagnosis(BaseModel):
    """One prediction's problems, each list item a short line naming the item."""

    missed_facts: list[str] = Field(default_factory=list)
    contradicted_facts: list[str] = Field(default_factory=list)
    missing_entities: list[str] = Field(default_factory=list)
    extra_entities: list[str] = Field(default_factory=list)
    missing_events: list[str] = Field(default_factory=list)
    extra_events: list[str] = Field(default_factory=list)
    wrong_event_details: list[str] = Field(default_factory=list)
    missed_quotes: list[str] = Field(default_factory=list)
    wrong_speakers: list[str] = Field(default_factory=list)
    unsupported_numbers: list[str] = Field(default_factory=list)
    ungrounded_spans: list[str] = Field(default_factory=list)
    unsupported_claims: list[str] = Field(
        default_factory=list, description="Claims the LLM judge found unsupported."
    )
    unsupported_items: list[str] = Field(
        default_factory=list,
        description="Items of the delivered prediction that fail the support checks.",
    )
    run_warnings: list[str] = Field(
        default_factory=list, description="What the run itself dropped, cleared or flagged."
    )

    @property
    def empty(self) -> bool:
        return not any(getattr(self, name) for name in type(self).model_fields)


def _facts(
    diagnosis: Diagnosis, pred: ArticleSummary, gold: GoldLabel, article: str, language: Language
) -> None:
    verdicts = fact_verdicts(pred, gold, article, language)
    for fact, verdict in zip(gold.key_facts, verdicts, strict=True):
        line = f"{fact.id}: {fact.text.get(language) or fact.text[gold.language]}"
        if verdict.contradicted:
            diagnosis.contradicted_facts.append(f"{line} - {verdict.reason}")
        elif not verdict.covered:
            diagnosis.missed_facts.append(line)


def _events(diagnosis: Diagnosis, pred: ArticleSummary, gold: GoldLabel, article: str) -> None:
    pairs = match_events(pred, gold, article)
    matched_pred, matched_gold = {i for i, _ in pairs}, {j for _, j in pairs}
    diagnosis.missing_events = [
        f"{e.event_type.value}: {e.description}"
        for j, e in enumerate(gold.events)
        if j not in matched_gold
    ]
    diagnosis.extra_events = [
        f"{e.event_type.value}: {e.description}"
        for i, e in enumerate(pred.events)
        if i not in matched_pred
    ]
    for i, j in pairs:
        p, g = pred.events[i], gold.events[j]
        for name in ("fatalities", "injured", "certainty"):
            if getattr(p, name) != getattr(g, name):
                diagnosis.wrong_event_details.append(
                    f"{g.description}: {name} {getattr(p, name)} (gold {getattr(g, name)})"
                )
        if not source_matches(p, g):
            diagnosis.wrong_event_details.append(
                f"{g.description}: source {p.source_attribution!r} "
                f"(gold {g.source_attribution or 'none'})"
            )


def diagnose(
    pred: ArticleSummary | None, gold: GoldLabel, article: str, language: Language
) -> Diagnosis:
    """Every problem of ``pred`` against ``gold`` (no prediction: everything is missing)."""
    if pred is None:
        pred = ArticleSummary(
            language=gold.language, output_language=language, headline="", summary=""
        )
    diagnosis = Diagnosis()
    _facts(diagnosis, pred, gold, article, language)
    entity_pairs = match_entities(pred, gold)
    diagnosis.missing_entities = [
        e.name for j, e in enumerate(gold.entities) if j not in {g for _, g in entity_pairs}
    ]
    diagnosis.extra_entities = [
        f"{e.name} ({e.type.value})"
        for i, e in enumerate(pred.entities)
        if i not in {p for p, _ in entity_pairs}
    ]
    _events(diagnosis, pred, gold, article)
    quote_pairs = match_quotes(pred, gold, article)
    diagnosis.missed_quotes = [
        f"{q.speaker}: {q.text}"
        for j, q in enumerate(gold.quotes)
        if j not in {g for _, g in quote_pairs}
    ]
    diagnosis.wrong_speakers = [
        f"{pred.quotes[i].text!r}: {pred.quotes[i].speaker} (gold {gold.quotes[j].speaker})"
        for i, j in quote_pairs
        if not speaker_matches(pred, gold, (i, j))
    ]
    diagnosis.unsupported_numbers = [str(value) for value in unsupported_numbers(pred, article)]
    diagnosis.unsupported_items = [
        f"{f.where}: {f.detail}"
        for f in support_findings(pred, article)
        if f.kind.value not in ("duplicate", "wrong_type")
    ]
    diagnosis.run_warnings = list(pred.metadata.warnings) if pred.metadata else []
    diagnosis.ungrounded_spans = [
        f"{where}: {text[:120]!r}"
        for where, text, start, end in predicted_spans(pred)
        if verified_span(text, start, end, article) is None
    ]
    return diagnosis
