"""Compare two run directories: per-metric and per-article deltas."""

from __future__ import annotations

from pathlib import Path

from summarizer.core.errors import InputError
from summarizer.evals.metrics import LOWER_IS_BETTER
from summarizer.evals.report import format_score
from summarizer.evals.runner import RunReport


def load_report(run_dir: Path) -> RunReport:
    path = run_dir / "report.json" if run_dir.is_dir() else run_dir
    if not path.is_file():
        raise InputError(f"no report.json in {run_dir}")
    return RunReport.model_validate_json(path.read_text(encoding="utf-8"))


def _verdict(metric: str, delta: float) -> str:
    if abs(delta) < 1e-9:
        return "same"
    better = delta < 0 if metric in LOWER_IS_BETTER else delta > 0
    return "better" if better else "worse"


def compare(a: RunReport, b: RunReport) -> str:
    """A plain-text report of what got better and worse from run A to run B."""
    lines = [
        f"A: {a.suite} ({a.provider}/{a.model}, prompt {a.prompt_version})",
        f"B: {b.suite} ({b.provider}/{b.model}, prompt {b.prompt_version})",
        "",
        f"{'metric':<24}{'A':>9}{'B':>9}{'delta':>9}  verdict",
    ]
    metrics = [m for m in a.metrics if m in b.metrics]
    for metric in metrics:
        va, vb = a.aggregates.get(metric), b.aggregates.get(metric)
        if va is None or vb is None:
            lines.append(f"{metric:<24}{format_score(va):>9}{format_score(vb):>9}{'':>9}  n/a")
            continue
        delta = vb - va
        lines.append(f"{metric:<24}{va:>9.3f}{vb:>9.3f}{delta:>+9.3f}  {_verdict(metric, delta)}")
    a_rows = {(r.id, r.output_language): r for r in a.per_article}
    changes = []
    for r in b.per_article:
        before = a_rows.get((r.id, r.output_language))
        if before is None:
            continue
        for metric in metrics:
            va, vb = before.scores.get(metric), r.scores.get(metric)
            if va is not None and vb is not None and abs(vb - va) > 1e-9:
                changes.append((r.id, r.output_language, metric, va, vb))
    lines += ["", "Per article (changed metrics only):"]
    if not changes:
        lines.append("  no per-article changes")
    for article, lang, metric, va, vb in changes:
        lines.append(
            f"  {article} ({lang}) {metric}: {va:.3f} -> {vb:.3f} ({_verdict(metric, vb - va)})"
        )
    return "\n".join(lines)
