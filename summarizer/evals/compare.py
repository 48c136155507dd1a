"""Compare two runs: per-metric paired differences with 95 % confidence intervals, the articles
that got worse, and which metrics dropped significantly.

Only the articles both runs scored (same id and output language) are compared. A metric
regressed significantly when its whole interval lies on the worse side of zero (below for
higher-is-better metrics, above for counts); length and extractiveness are described, never
judged; a metric defined on fewer than :data:`MIN_ARTICLES` articles of both runs is reported
as "too few articles", never as a significant change (one article has no spread: its interval
is a point).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from summarizer.datamodel.errors import InputError
from summarizer.evals.metrics import DESCRIPTIVE, LOWER_IS_BETTER
from summarizer.evals.scoring import RunReport
from summarizer.evals.stats import paired_difference


def load_report(run_dir: Path) -> RunReport:
    path = run_dir / "report.json" if run_dir.is_dir() else run_dir
    if not path.is_file():
        raise InputError(f"no report.json in {run_dir}")
    return RunReport.model_validate_json(path.read_text(encoding="utf-8"))


#: The fewest articles a significance is stated on.
MIN_ARTICLES = 5


@dataclass
class Comparison:
    text: str
    regressions: list[str] = field(default_factory=list)


def _worse(metric: str, delta: float) -> bool:
    return delta > 1e-9 if metric in LOWER_IS_BETTER else delta < -1e-9


def _verdict(metric: str, delta: float, interval: tuple[float, float]) -> str:
    if metric in DESCRIPTIVE:
        return ""
    low, high = interval
    if metric in LOWER_IS_BETTER:
        low, high = -high, -low
    if high < 0:
        return "worse (significant)"
    if low > 0:
        return "better (significant)"
    return "no significant change"


def compare(a: RunReport, b: RunReport) -> Comparison:
    """What changed from run A to run B, on the articles both scored."""
    lines = [
        f"A: {a.suite} ({a.provider}/{a.model}, prompt {a.prompt_version})",
        f"B: {b.suite} ({b.provider}/{b.model}, prompt {b.prompt_version})",
    ]
    a_rows = {(r.id, r.output_language): r for r in a.per_article}
    pairs = [
        (a_rows[(r.id, r.output_language)], r)
        for r in b.per_article
        if (r.id, r.output_language) in a_rows
    ]
    lines += [
        f"{len(pairs)} articles in both runs; paired bootstrap, 95 % intervals of B - A",
        "",
        f"{'metric':<24}{'A':>8}{'B':>8}{'B - A':>9}  {'95 % interval':<19} verdict",
    ]
    metrics = [m for m in a.metrics if m in b.metrics]
    regressions = []
    worse_articles = []
    for metric in metrics:
        rows = [
            (ra, ra.scores[metric], rb.scores[metric])
            for ra, rb in pairs
            if ra.scores.get(metric) is not None and rb.scores.get(metric) is not None
        ]
        before = [x for _, x, _ in rows]
        after = [y for _, _, y in rows]
        result = paired_difference(before, after)  # type: ignore[arg-type]
        if result is None:
            lines.append(f"{metric:<24}{'–':>8}{'–':>8}{'':>9}  {'':<19} n/a")
            continue
        delta, interval = result
        verdict = (
            f"too few articles ({len(rows)} < {MIN_ARTICLES})"
            if len(rows) < MIN_ARTICLES and metric not in DESCRIPTIVE
            else _verdict(metric, delta, interval)
        )
        if verdict.startswith("worse"):
            regressions.append(metric)
        span = f"[{interval[0]:+.3f}, {interval[1]:+.3f}]"
        lines.append(
            f"{metric:<24}{sum(before) / len(rows):>8.3f}{sum(after) / len(rows):>8.3f}"  # type: ignore[arg-type]
            f"{delta:>+9.3f}  {span:<19} {verdict}"
        )
        if metric not in DESCRIPTIVE:
            worse_articles += [
                f"  {r.id} ({r.output_language}) {metric}: {x:.3f} -> {y:.3f}"
                for r, x, y in rows
                if _worse(metric, y - x)  # type: ignore[operator]
            ]
    lines += ["", "Articles that got worse:"]
    lines += worse_articles or ["  none"]
    if regressions:
        lines += ["", f"significant regressions: {', '.join(regressions)}"]
    return Comparison("\n".join(lines), regressions)
