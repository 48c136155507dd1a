"""Degenerate predictions score below the lead baseline on the metrics they try to game.

Each strategy of :mod:`summarizer.evals.degenerate` is scored on all 16 seeds and compared with
the ``lead`` baseline on the same seeds: a higher-is-better target must stay below lead's mean
(or at 0 where lead predicts nothing of the kind, e.g. entities), a count must rise above it.
The oracle on the same metrics scores 1.0 (0 for counts), so the metrics still reward the
right answer.
"""

from __future__ import annotations

import pytest

from summarizer.datamodel.schemas import ArticleSummary
from summarizer.evals.degenerate import STRATEGIES, TARGETS
from summarizer.evals.gold import Seed, load_seeds
from summarizer.evals.metrics import LOWER_IS_BETTER, Scores, score_article
from summarizer.evals.oracle import gold_to_summary
from summarizer.inputs import article_request
from summarizer.providers.lead import LeadBackend
from tests.conftest import ROOT

SEEDS = load_seeds(ROOT / "seeds")


def lead(seed: Seed) -> ArticleSummary:
    request = article_request(seed.text, language=seed.label.language)
    return LeadBackend().build_summary(request)


def mean(rows: list[Scores], metric: str) -> float | None:
    values = [row[metric] for row in rows if row.get(metric) is not None]
    return sum(values) / len(values) if values else None  # type: ignore[arg-type]


def scored(strategy: str) -> tuple[list[Scores], list[Scores], list[Scores]]:
    """Scores of the strategy, of lead and of the oracle, on the seeds the strategy applies to."""
    junk, baseline, oracle = [], [], []
    for seed in SEEDS:
        language = seed.label.language
        pred = STRATEGIES[strategy](seed.text, seed.label, language)
        if pred is None:
            continue
        junk.append(score_article(pred, seed.label, seed.text, language))
        baseline.append(score_article(lead(seed), seed.label, seed.text, language))
        gold = gold_to_summary(seed.label, seed.text, language)
        oracle.append(score_article(gold, seed.label, seed.text, language))
    return junk, baseline, oracle


@pytest.mark.parametrize(
    ("strategy", "metric"),
    [(strategy, metric) for strategy, metrics in TARGETS.items() for metric in metrics],
)
def test_junk_scores_below_lead_on_its_targets(strategy: str, metric: str) -> None:
    junk, baseline, oracle = scored(strategy)
    assert junk, f"{strategy} applies to no seed"
    value, lead_value, best = mean(junk, metric), mean(baseline, metric), mean(oracle, metric)
    assert value is not None, f"{strategy}: {metric} not scored"
    if metric in LOWER_IS_BETTER:
        assert value > (lead_value or 0.0), (strategy, metric, value, lead_value)
        assert best == 0.0
    elif lead_value:
        assert value < lead_value, (strategy, metric, value, lead_value)
        assert best == 1.0
    else:  # lead predicts nothing of the kind: junk earns nothing either
        assert value == 0.0, (strategy, metric, value)
        assert best == 1.0


def test_every_strategy_targets_something_and_is_built() -> None:
    assert set(TARGETS) == set(STRATEGIES)
    seed = SEEDS[0]
    for name, strategy in STRATEGIES.items():
        pred = strategy(seed.text, seed.label, "de")
        assert pred is None or isinstance(pred, ArticleSummary), name


# -- eval harness v3: new junk and probes, in both output languages ----------------------------

from functools import cache  # noqa: E402

from summarizer.evals.probes import PROBE_MARGIN, PROBES, SYSTEM, V3_TARGETS  # noqa: E402


@cache
def scored_v3(name: str) -> tuple[list[Scores], list[Scores], list[Scores]]:
    """Scores of one v3 class, of lead and of the reference (the oracle), on every seed it
    applies to, in both output languages."""
    builder = {**SYSTEM, **PROBES}[name]
    junk, baseline, reference = [], [], []
    for seed in SEEDS:
        for language in ("de", "en"):
            pred = builder(seed.text, seed.label, language)  # type: ignore[arg-type]
            if pred is None:
                continue
            junk.append(score_article(pred, seed.label, seed.text, language))  # type: ignore[arg-type]
            baseline.append(score_article(lead(seed), seed.label, seed.text, language))  # type: ignore[arg-type]
            gold = gold_to_summary(seed.label, seed.text, language)  # type: ignore[arg-type]
            reference.append(score_article(gold, seed.label, seed.text, language))  # type: ignore[arg-type]
    return junk, baseline, reference


@pytest.mark.parametrize(
    ("name", "metric"),
    [(name, metric) for name, metrics in V3_TARGETS.items() for metric in metrics],
)
def test_v3_junk_and_probes_score_worse_on_their_targets(name: str, metric: str) -> None:
    junk, baseline, reference = scored_v3(name)
    assert len(junk) >= 4, f"{name} applies to {len(junk)} seed rows"
    value, lead_value, best = mean(junk, metric), mean(baseline, metric), mean(reference, metric)
    assert value is not None and best is not None, (name, metric)
    lower = metric in LOWER_IS_BETTER
    if name in PROBES:  # at least the margin worse than the reference it was made from
        worse_by = value - best if lower else best - value
        assert worse_by >= PROBE_MARGIN, (name, metric, value, best)
    elif lower:
        assert value > (lead_value or 0.0), (name, metric, value, lead_value)
    elif lead_value:
        assert value < lead_value, (name, metric, value, lead_value)
    else:  # lead predicts nothing of the kind: junk earns next to nothing (1 in 5 at most)
        assert value <= PROBE_MARGIN, (name, metric, value)


def test_nothing_earns_by_omission() -> None:
    """An empty prediction and a missing one score the worst value on every metric that
    applies, never the best and never 'not applicable' where the gold has something."""
    seed = next(s for s in SEEDS if s.label.events and s.label.quotes)
    language = seed.label.language
    empty = STRATEGIES["empty"](seed.text, seed.label, language)
    for pred in (empty, None):
        scores = score_article(pred, seed.label, seed.text, language)
        for metric in ("grounding_rate", "key_fact_coverage", "chrf", "entity_f1", "event_f1"):
            assert scores[metric] == 0.0, metric
        for metric in ("quote_precision", "source_f1", "key_point_support", "event_support"):
            assert scores[metric] == 0.0, metric
        assert scores["hallucinated_numbers"] >= 1
        assert scores["contradictions"] == len(seed.label.key_facts)
