"""Eval runs split by output language: the article's own, and the other one.

A crosslingual run (``evals/crosslingual.yaml``) scores every seed in both output languages;
its report's means mix the two, and the other language is where translation decides. This
prints one Markdown row per metric with the own/other means of each run, and with ``--other``
writes each run's report restricted to its other-language rows (``RUN/other.json``), which
``summarizer eval compare`` reads like a report:

    python benchmarks/by_language.py RUN_A RUN_B [--other]
    summarizer eval compare RUN_A/other.json RUN_B/other.json
"""

from __future__ import annotations

import sys
from pathlib import Path
from statistics import mean

METRICS = (
    "key_fact_coverage",
    "chrf",
    "rouge_l",
    "contradictions",
    "output_language_correct",
    "event_f1",
    "quote_precision",
    "quote_attribution",
    "source_f1",
    "entity_f1",
    "hallucinated_numbers",
    "summary_words",
)


def main(runs: list[Path], write_other: bool) -> None:
    from summarizer.evals.compare import load_report

    reports = [load_report(run) for run in runs]
    header = " | ".join(f"{run.name} own | other" for run in runs)
    print(f"| metric | {header} |")
    print("|---" * (1 + 2 * len(runs)) + "|")
    for metric in METRICS:
        cells = []
        for report in reports:
            for own in (True, False):
                values = [
                    row.scores.get(metric)
                    for row in report.per_article
                    if (row.output_language == row.id[-2:]) == own
                ]
                present = [v for v in values if v is not None]
                cells.append(f"{mean(present):.3f}" if present else "-")
        print(f"| {metric} | {' | '.join(cells)} |")
    if not write_other:
        return
    for run, report in zip(runs, reports, strict=True):
        other = report.model_copy(
            update={
                "per_article": [r for r in report.per_article if r.output_language != r.id[-2:]]
            }
        )
        (run / "other.json").write_text(other.model_dump_json(indent=2), encoding="utf-8")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main([Path(a) for a in arguments if a != "--other"], "--other" in arguments)
