"""Casualty figures of an eval run (issue 23's targets): how many gold figures (fatalities or
injured of a gold event) the run got right, and how many figures it delivered that the event's
evidence does not state for that kind (the event checks' ``wrong_kind`` and
``number_not_stated`` findings on the delivered output).

    python benchmarks/casualty_figures.py RUN_DIR      # a directory `summarizer eval run` wrote
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(run: Path) -> None:
    from summarizer.datamodel.schemas import ArticleSummary
    from summarizer.evals.alignment import match_events
    from summarizer.evals.gold import load_seeds
    from summarizer.grounding.event_checks import EventChecks

    seeds = {seed.id: seed for seed in load_seeds(ROOT / "seeds")}
    right = total = delivered = unstated = 0
    for path in sorted((run / "articles").glob("*.json")):
        row = json.loads(path.read_text(encoding="utf-8"))
        if row["prediction"] is None:
            continue
        pred = ArticleSummary.model_validate(row["prediction"])
        seed = seeds[row["id"]]
        pairs = {j: i for i, j in match_events(pred, seed.label, seed.text, same_type=False)}
        for j, gold in enumerate(seed.label.events):
            for field in ("fatalities", "injured"):
                if getattr(gold, field) is None:
                    continue
                total += 1
                i = pairs.get(j)
                right += i is not None and getattr(pred.events[i], field) == getattr(gold, field)
        events = pred.model_copy(deep=True)
        delivered += sum(
            getattr(e, f) is not None for e in events.events for f in ("fatalities", "injured")
        )
        checker = EventChecks(
            seed.text,
            False,
            article_language=seed.label.language,
            output_language=row["output_language"],
        )
        checker.check(events)
        unstated += sum(
            f.kind.value in ("wrong_kind", "number_not_stated") for f in checker.findings
        )
    print(
        f"gold figures right: {right} of {total}; figures delivered: {delivered}, "
        f"not stated for their kind: {unstated}"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
