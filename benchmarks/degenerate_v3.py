"""Eval harness v3's degenerate classes, scored by a checkout's own `eval score` (the README
table: each class, the metric it targets, before and after).

    # the predictions, both output languages, all seeds (this checkout's builders):
    python benchmarks/degenerate_v3.py write /tmp/degenerate
    # scored by any checkout's harness (run from that checkout, with its `summarizer`):
    python benchmarks/degenerate_v3.py score /tmp/degenerate --out after.json
    # the table of two scorings:
    python benchmarks/degenerate_v3.py table BEFORE.json AFTER.json

Scoring saved files keeps the before/after honest: the same predictions, read by the older and
the newer metrics. ``tests/test_degenerate.py`` asserts the after column.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("de", "en")


def write(directory: Path) -> None:
    from summarizer.evals.degenerate import empty
    from summarizer.evals.gold import load_seeds
    from summarizer.evals.oracle import gold_to_summary
    from summarizer.evals.probes import PROBES, SYSTEM
    from summarizer.inputs import article_request
    from summarizer.providers.lead import LeadBackend

    builders = {
        "reference": lambda text, label, lang: gold_to_summary(label, text, lang),
        "lead": lambda text, label, lang: LeadBackend().build_summary(
            article_request(text, language=label.language, output_language=lang)
        ),
        "empty": empty,
        **SYSTEM,
        **PROBES,
    }
    for name, build in builders.items():
        target = directory / name
        target.mkdir(parents=True, exist_ok=True)
        for seed in load_seeds(ROOT / "seeds"):
            for language in LANGUAGES:
                pred = build(seed.text, seed.label, language)
                if pred is not None:
                    path = target / f"{seed.id}.{language}.json"
                    path.write_text(pred.model_dump_json(), encoding="utf-8")


def score(directory: Path, out: Path) -> None:
    """Every class directory scored by ``summarizer eval score`` of the checkout this runs in."""
    table = {}
    for target in sorted(p for p in directory.iterdir() if p.is_dir() and p.name != "runs"):
        run = directory / "runs" / target.name
        subprocess.run(
            [sys.executable, "-m", "summarizer", "eval", "score", str(target), "--out", str(run)],
            check=False,
            capture_output=True,
        )
        table[target.name] = means(run / "report.json")
    out.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def means(report_path: Path) -> dict[str, float | int | None]:
    """Each metric's mean over the rows the class has a prediction for (a class that does not
    apply to a seed leaves it out, instead of scoring it as a failure)."""
    report = json.loads(report_path.read_text(encoding="utf-8"))
    rows = [r for r in report["per_article"] if r.get("error") != "no prediction"]
    result: dict[str, float | int | None] = {"rows": len(rows)}
    for metric in report["metrics"]:
        values = [r["scores"][metric] for r in rows if r["scores"].get(metric) is not None]
        result[metric] = round(sum(values) / len(values), 4) if values else None
    return result


def rescore(runs: Path, out: Path) -> None:
    """:func:`means` of the reports a :func:`score` left in ``runs``."""
    table = {run.name: means(run / "report.json") for run in sorted(runs.iterdir())}
    out.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def table(before: Path, after: Path) -> None:
    from summarizer.evals.degenerate import TARGETS
    from summarizer.evals.probes import V3_TARGETS

    old, new = json.loads(before.read_text()), json.loads(after.read_text())
    # v2 had no such metric: what it reported instead.
    instead = {
        "fatalities_accuracy_predicted": "fatalities_accuracy",
        "quote_precision": "quote_recall",
    }
    print("| class | metric | reference | lead | before (v2) | after (v3) |")
    print("|---|---|---:|---:|---:|---:|")
    for name, metrics in {"empty": TARGETS["empty"], **V3_TARGETS}.items():
        for metric in metrics:

            def cell(row: dict | None, metric: str = metric) -> str:
                value = (row or {}).get(metric)
                return "–" if value is None else f"{value:.3f}"

            was = cell(old.get(name))
            if was == "–" and metric in instead:
                was = f"{cell(old.get(name), instead[metric])} (v2 `{instead[metric]}`)"
            print(
                f"| {name} | {metric} | {cell(new.get('reference'))} | {cell(new.get('lead'))} "
                f"| {was} | {cell(new.get(name))} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("write").add_argument("directory", type=Path)
    scoring = sub.add_parser("score")
    scoring.add_argument("directory", type=Path)
    scoring.add_argument("--out", type=Path, required=True)
    again = sub.add_parser("rescore")
    again.add_argument("runs", type=Path)
    again.add_argument("--out", type=Path, required=True)
    tabling = sub.add_parser("table")
    tabling.add_argument("before", type=Path)
    tabling.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "write":
        write(args.directory)
    elif args.command == "score":
        score(args.directory, args.out)
    elif args.command == "rescore":
        rescore(args.runs, args.out)
    else:
        table(args.before, args.after)


if __name__ == "__main__":
    main()
