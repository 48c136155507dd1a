"""Summary variants scored from saved predictions, without a model (issue 23's variants table).

The guided pipeline's summary is its restated key points in order; a variant puts the article's
own sentence (the key point's evidence, dateline off) in place of the restated one when it has
at most N words - the lead only, or every sentence - and keeps the summary within the same 450
characters. Only the own-language rows are scored (in the other language the article's
sentences are the wrong language).

    python benchmarks/lead_variants.py \
        benchmarks/results/evals/issue23-entities/variant-no-lead/articles

prints key-fact coverage and chrF per variant. It approximates the pipeline (which joins the
sentences itself): the lead variant of up to 35 words scored 0.591 here and 0.594 in the full
run that followed.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from summarizer.datamodel.schemas import ArticleSummary
from summarizer.evals.gold import load_seeds
from summarizer.evals.metrics import fact_scores, similarity_scores
from summarizer.evals.predictions import load_predictions
from summarizer.pipeline.guided import SUMMARY_CHARS, _within
from summarizer.text.segmentation import flatten
from summarizer.text.speakers import DATELINE

VARIANTS = [("as restated", 0, False)] + [
    (f"{'lead' if lead else 'every sentence'} as written up to {n} words", n, lead)
    for lead, counts in ((True, (20, 25, 30, 35, 45)), (False, (15, 20, 25, 35)))
    for n in counts
]


def _as_written(evidence: str) -> str:
    text = flatten(DATELINE.sub("", evidence)).strip()
    return text if text[-1:] in '.!?“"”' else f"{text}."


def variant(prediction: ArticleSummary, words: int, lead_only: bool) -> ArticleSummary:
    """``prediction`` with its summary sentences as written where the variant says so."""
    written = {p.text: _as_written(p.evidence.text) for p in prediction.key_points}
    said = sorted((t for t in written if t in prediction.summary), key=prediction.summary.find)
    if not said:
        return prediction
    sentences = [
        written[t] if len(written[t].split()) <= words and (i == 0 or not lead_only) else t
        for i, t in enumerate(said)
    ]
    return prediction.model_copy(update={"summary": _within(SUMMARY_CHARS, sentences)})


def main(predictions: Path) -> None:
    seeds = {s.id: s for s in load_seeds(Path("seeds"))}
    rows = [
        r
        for r in load_predictions(predictions, list(seeds.values()))
        if r.prediction is not None and r.output_language == seeds[r.id].label.language
    ]
    for name, words, lead_only in VARIANTS:
        chrf, facts = [], []
        for row in rows:
            seed, summary = seeds[row.id], variant(row.prediction, words, lead_only)  # type: ignore[arg-type]
            chrf.append(similarity_scores(summary, seed.label, row.output_language)["chrf"])
            coverage = fact_scores(summary, seed.label, seed.text, row.output_language)
            facts.append(coverage["key_fact_coverage"])
        print(
            f"{name:45s} key facts {statistics.mean(facts):.3f}  chrF {statistics.mean(chrf):.3f}"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
