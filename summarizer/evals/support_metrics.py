"""Support metrics: how much of a prediction passes the support checks the pipeline runs.

The same checks as at run time (:mod:`summarizer.grounding.summary_checks`,
:mod:`summarizer.grounding.event_checks`), run again on the delivered prediction without re-asking:

* ``key_point_support`` - key points whose evidence is where it claims and supports them;
* ``summary_support`` - summary sentences the article sentences support (sentences that cannot
  be checked across languages - no name, no number - are left out);
* ``quote_support`` - quotes located, with the speaker the article attributes them to;
* ``event_support`` - events whose evidence is located and whose actors, targets, place, source
  and casualty figures its paragraph names.

Saved predictions of other systems are scored the same way (``eval score``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from summarizer.datamodel.schemas import ArticleSummary
from summarizer.datamodel.types import Language
from summarizer.grounding.checks import Finding
from summarizer.grounding.event_checks import EventChecks
from summarizer.grounding.summary_checks import SummaryChecks
from summarizer.grounding.support import align_sentence
from summarizer.text.lexicon import article_names
from summarizer.text.segmentation import sentences

SUPPORT_METRICS = ("key_point_support", "summary_support", "quote_support", "event_support")
_INDEX = re.compile(r"^(key_points|quotes|events)\[(\d+)\]")
_FAILING = {
    "key_points": {"not_located", "unsupported", "number_not_stated"},
    "quotes": {"not_located", "not_mentioned", "wrong_speaker"},
    "events": {"not_located", "unsupported", "number_not_stated", "missing_figure"},
}


def _failed(findings: Iterable[Finding], items: str) -> set[int]:
    failed = set()
    for finding in findings:
        match = _INDEX.match(finding.where)
        if match and match.group(1) == items and finding.kind.value in _FAILING[items]:
            failed.add(int(match.group(2)))
    return failed


def _share(total: int, failed: set[int]) -> float | None:
    return (total - len(failed)) / total if total else None


def support_findings(pred: ArticleSummary, article: str) -> list[Finding]:
    """What the run-time checks find in ``pred``, without repairing or dropping anything."""
    copy = pred.model_copy(deep=True)
    context: dict[str, Any] = {
        "article_language": pred.language,
        "output_language": pred.output_language,
    }
    summary = SummaryChecks(article, False, **context)
    summary.check(copy)
    events = EventChecks(article, False, **context)
    events.check(copy)
    return summary.findings + events.findings


def support_scores(
    pred: ArticleSummary, article: str, language: Language
) -> dict[str, float | None]:
    """The support metrics of one prediction (see the module docstring)."""
    findings = support_findings(pred, article)
    names = article_names(article, pred.language)
    checkable = [
        alignment
        for alignment in (
            align_sentence(
                s, article, language=language, article_language=pred.language, names=names
            )
            for s in sentences(pred.summary)
        )
        if alignment.checkable
    ]
    supported = sum(a.supported for a in checkable)
    return {
        "key_point_support": _share(len(pred.key_points), _failed(findings, "key_points")),
        "summary_support": supported / len(checkable) if checkable else None,
        "quote_support": _share(len(pred.quotes), _failed(findings, "quotes")),
        "event_support": _share(len(pred.events), _failed(findings, "events")),
    }
