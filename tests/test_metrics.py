"""Metric sanity: gold scores perfectly against itself, empty scores zero recall, and each
perturbation lowers exactly the metrics it should."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.core.schemas import ArticleSummary
from summarizer.evals.gold import Seed, load_seeds
from summarizer.evals.metrics import (
    HIGHER_IS_BETTER,
    METRICS,
    name_matches,
    score_article,
)
from summarizer.evals.oracle import gold_to_summary
from tests.conftest import ROOT

SEEDS = load_seeds(ROOT / "seeds")
BY_ID = {seed.id: seed for seed in SEEDS}


def oracle(seed: Seed, output_language: str | None = None) -> ArticleSummary:
    return gold_to_summary(seed.label, seed.text, output_language or seed.label.language)


def scores_of(seed: Seed, pred: ArticleSummary | None, output_language: str | None = None):
    return score_article(pred, seed.label, seed.text, output_language or seed.label.language)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.id)
def test_gold_against_itself_is_perfect(seed: Seed) -> None:
    scores = scores_of(seed, oracle(seed))
    assert set(scores) == set(METRICS)
    for metric in HIGHER_IS_BETTER:
        assert scores[metric] in (1.0, None), (metric, scores[metric])
    assert scores["hallucinated_numbers"] == 0
    for must_apply in (
        "schema_valid",
        "entity_f1",
        "key_fact_coverage",
        "chrf",
        "rouge_l",
        "output_language_correct",
    ):
        assert scores[must_apply] == 1.0


@pytest.mark.parametrize("seed", [s for s in SEEDS if s.label.language == "de"], ids=lambda s: s.id)
def test_gold_is_perfect_in_english_too(seed: Seed) -> None:
    scores = scores_of(seed, oracle(seed, "en"), "en")
    assert scores["chrf"] == scores["rouge_l"] == scores["key_fact_coverage"] == 1.0
    assert scores["output_language_correct"] == 1.0


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.id)
def test_empty_prediction_has_zero_recall(seed: Seed) -> None:
    empty = ArticleSummary(
        language=seed.label.language, output_language=seed.label.language, headline="", summary=""
    )
    scores = scores_of(seed, empty)
    assert scores["entity_recall"] == 0 and scores["key_fact_coverage"] == 0
    assert scores["event_recall"] == (0 if seed.label.events else None)
    assert scores["quote_recall"] == (0 if seed.label.quotes else None)
    assert scores_of(seed, None)["schema_valid"] == 0


def changed(before: dict, after: dict) -> set[str]:
    return {m for m in before if before[m] != after[m]}


def test_dropping_an_event_lowers_only_event_recall() -> None:
    seed = BY_ID["000_nordkorea_moskau_de"]
    pred = oracle(seed)
    before = scores_of(seed, pred)
    pred.events = pred.events[1:]
    after = scores_of(seed, pred)
    assert changed(before, after) == {"event_recall", "event_f1"}
    assert after["event_recall"] < before["event_recall"]
    assert after["event_precision"] == 1.0


def test_changing_a_casualty_number_lowers_fatalities_accuracy_and_flags_it() -> None:
    seed = BY_ID["000_nordkorea_moskau_de"]
    pred = oracle(seed)
    before = scores_of(seed, pred)
    attack = next(e for e in pred.events if e.fatalities == 5)
    attack.fatalities = 9
    after = scores_of(seed, pred)
    assert changed(before, after) == {"fatalities_accuracy", "hallucinated_numbers"}
    assert after["fatalities_accuracy"] < 1.0 and after["hallucinated_numbers"] == 1


def test_swapping_a_speaker_lowers_only_quote_attribution() -> None:
    seed = BY_ID["000_nordkorea_moskau_de"]
    pred = oracle(seed)
    before = scores_of(seed, pred)
    pred.quotes[0].speaker = "Wladimir Putin"
    after = scores_of(seed, pred)
    assert changed(before, after) == {"quote_attribution"}
    assert after["quote_attribution"] < 1.0


def test_dropping_an_entity_lowers_only_entity_recall() -> None:
    seed = BY_ID["004_hochwasser_bayern_de"]
    pred = oracle(seed)
    before = scores_of(seed, pred)
    pred.entities = pred.entities[1:]
    assert changed(before, scores_of(seed, pred)) == {"entity_recall", "entity_f1"}


def test_wrong_output_language_is_caught() -> None:
    seed = BY_ID["000_nordkorea_moskau_de"]
    scores = scores_of(seed, oracle(seed, "de"), "en")  # asked for English, got German
    assert scores["output_language_correct"] == 0.0


def test_name_matching_tolerates_inflection_and_transliteration() -> None:
    assert name_matches("Schoigus", ["Sergej Schoigu"])
    assert name_matches("Sergei Shoigu", ["Sergej Schoigu"])
    assert name_matches("Kim", ["Kim Jong Un"])
    assert not name_matches("Wladimir Putin", ["Sergej Schoigu", "Schoigu"])
    assert not name_matches("Leverkusen", ["Freiburg"])


def test_seed_collection_meets_the_brief() -> None:
    languages = [s.label.language for s in SEEDS]
    assert languages.count("de") >= 8 and languages.count("en") >= 8
    assert "000_nordkorea_moskau_de" in BY_ID
    assert (ROOT / "seeds" / "README.md").exists()
    assert all(Path(s.path).read_text(encoding="utf-8").strip() for s in SEEDS)


def test_grounding_rate_counts_dropped_spans_but_not_other_warnings() -> None:
    from summarizer.core.issues import GroundingIssue, IssueAction, IssueKind
    from summarizer.core.schemas import RunMetadata

    seed = BY_ID["012_earthquake_en"]
    pred = oracle(seed)
    spans = len(pred.key_points) + len(pred.quotes) + len(pred.events)
    pred.metadata = RunMetadata(
        provider="x",
        model="x",
        mode="x",
        prompt_version="x",
        issues=[
            GroundingIssue(
                kind=IssueKind.not_located,
                action=IssueAction.dropped,
                task="summary",
                where="key_points[3].evidence",
                text="invented",
                detail="'invented' is not a verbatim passage of the article",
            ),
            GroundingIssue(
                kind=IssueKind.not_mentioned,
                action=IssueAction.dropped,
                task="summary",
                where="entities[2].name",
                text="Atlantis",
                detail="'Atlantis' is never mentioned in the article",
            ),
        ],
    )
    assert scores_of(seed, pred)["grounding_rate"] == spans / (spans + 1)
