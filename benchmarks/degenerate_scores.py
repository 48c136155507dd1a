"""Degenerate predictions scored by the eval harness (not a test; the table goes in the README).

Every strategy of ``summarizer.evals.degenerate`` on the 16 seeds, with the ``lead`` baseline and
the oracle for reference; the mean of each metric a strategy targets. ``tests/test_degenerate.py``
asserts what this prints (junk below lead on its targets).

    python benchmarks/degenerate_scores.py --out benchmarks/results/degenerate_after.json

``benchmarks/results/degenerate_before.json`` holds the same predictions scored by the metrics
and gold labels of commit 6a2ad03 (before eval harness v2), measured once from a checkout of that
commit; its lead row is that commit's lead-3 baseline.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from summarizer.evals.degenerate import STRATEGIES, TARGETS
from summarizer.evals.gold import load_seeds
from summarizer.evals.metrics import score_article
from summarizer.evals.oracle import gold_to_summary
from summarizer.inputs import article_request
from summarizer.providers.lead import LeadBackend

ROOT = Path(__file__).resolve().parent.parent
METRICS = sorted({m for targets in TARGETS.values() for m in targets})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    seeds = load_seeds(ROOT / "seeds")

    def mean(rows: list[dict], metric: str) -> float | None:
        values = [r[metric] for r in rows if r.get(metric) is not None]
        return round(sum(values) / len(values), 3) if values else None

    builders = {
        "oracle": lambda s, lang: gold_to_summary(s.label, s.text, lang),
        "lead": lambda s, lang: LeadBackend().build_summary(article_request(s.text, language=lang)),
        **{name: (lambda s, lang, f=f: f(s.text, s.label, lang)) for name, f in STRATEGIES.items()},
    }
    table = {}
    for name, build in builders.items():
        rows = []
        for seed in seeds:
            pred = build(seed, seed.label.language)
            if pred is not None:
                rows.append(score_article(pred, seed.label, seed.text, seed.label.language))
        table[name] = {m: mean(rows, m) for m in METRICS}
    print(f"{'':22}" + "".join(f"{m[:12]:>13}" for m in METRICS))
    for name, row in table.items():
        cells = "".join(
            f"{'–' if row[m] is None else row[m]:>12}"
            + ("*" if m in TARGETS.get(name, ()) else " ")
            for m in METRICS
        )
        print(f"{name:22}{cells}")
    if args.out:
        args.out.write_text(json.dumps({"targets": TARGETS, "scores": table}, indent=1) + "\n")


if __name__ == "__main__":
    main()
