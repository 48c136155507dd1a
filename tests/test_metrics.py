"""Metric sanity: gold scores perfectly against itself, empty scores zero recall, and each
perturbation lowers exactly the metrics it should."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.datamodel.schemas import ArticleSummary
from summarizer.evals.gold import Seed, load_seeds
from summarizer.evals.metrics import HIGHER_IS_BETTER, METRICS, score_article
from summarizer.evals.names import name_matches
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


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.id)
def test_gold_is_perfect_in_the_other_language_too(seed: Seed) -> None:
    other = "en" if seed.label.language == "de" else "de"
    scores = scores_of(seed, oracle(seed, other), other)
    for metric in HIGHER_IS_BETTER:
        assert scores[metric] in (1.0, None), (metric, scores[metric])
    assert scores["chrf"] == scores["rouge_l"] == scores["key_fact_coverage"] == 1.0
    assert scores["output_language_correct"] == 1.0
    assert scores["hallucinated_numbers"] == scores["contradictions"] == 0


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.id)
def test_empty_prediction_has_zero_recall(seed: Seed) -> None:
    empty = ArticleSummary(
        language=seed.label.language, output_language=seed.label.language, headline="", summary=""
    )
    scores = scores_of(seed, empty)
    assert scores["entity_recall"] == 0 and scores["key_fact_coverage"] == 0
    assert scores["entity_precision"] == 0  # nothing predicted is not "not applicable"
    assert scores["event_recall"] == (0 if seed.label.events else None)
    assert scores["quote_recall"] == (0 if seed.label.quotes else None)
    assert scores_of(seed, None)["schema_valid"] == 0


def changed(before: dict, after: dict) -> set[str]:
    return {m for m in before if before[m] != after[m]}


def test_dropping_an_event_lowers_event_recall_and_every_field_over_gold_events() -> None:
    from summarizer.evals.record_metrics import FIELDS

    seed = BY_ID["000_nordkorea_moskau_de"]
    pred = oracle(seed)
    before = scores_of(seed, pred)
    pred.events = pred.events[1:]
    after = scores_of(seed, pred)
    over_gold = {f"{field}_accuracy" for field in FIELDS}
    assert changed(before, after) == {"event_recall", "event_f1", *over_gold}
    assert after["event_recall"] < before["event_recall"]
    assert all(after[m] < 1.0 for m in over_gold)  # a missed event is wrong on every field
    assert after["event_precision"] == 1.0
    assert all(after[f"{field}_accuracy_predicted"] == 1.0 for field in FIELDS)


def test_changing_a_casualty_number_lowers_fatalities_accuracy_and_flags_it() -> None:
    seed = BY_ID["000_nordkorea_moskau_de"]
    pred = oracle(seed)
    before = scores_of(seed, pred)
    attack = next(e for e in pred.events if e.fatalities == 5)
    attack.fatalities = 9
    after = scores_of(seed, pred)
    assert changed(before, after) == {
        "fatalities_accuracy",
        "fatalities_accuracy_predicted",
        "hallucinated_numbers",
        "event_support",
    }
    assert after["fatalities_accuracy"] < 1.0 and after["hallucinated_numbers"] == 1


def test_digits_glued_into_an_abbreviation_are_invented_numbers() -> None:
    """The embedded model, unable to write "U.S." under the sentence grammar of the time,
    wrote "U.1.0 Geological Survey": digits the article never states, read as a figure."""
    seed = BY_ID["012_earthquake_en"]
    pred = oracle(seed)
    assert scores_of(seed, pred)["hallucinated_numbers"] == 0
    pred.summary += " The quake was measured by the U.2.5 Geological Survey."
    assert scores_of(seed, pred)["hallucinated_numbers"] == 1


def test_swapping_a_speaker_lowers_only_quote_attribution() -> None:
    seed = BY_ID["000_nordkorea_moskau_de"]
    pred = oracle(seed)
    before = scores_of(seed, pred)
    pred.quotes[0].speaker = "Wladimir Putin"
    after = scores_of(seed, pred)
    assert changed(before, after) == {"quote_attribution", "quote_precision", "quote_support"}
    assert after["quote_attribution"] < 1.0 and after["quote_precision"] < 1.0


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
    # A partial name matches through the gold's aliases (as the labels list them).
    assert name_matches("Schoigus", ["Sergej Schoigu", "Schoigu"])
    assert name_matches("Sergei Shoigu", ["Sergej Schoigu"])
    assert name_matches("Kim", ["Kim Jong Un", "Kim"])
    assert name_matches("Wolodymyr Selenskyj", ["Volodymyr Zelensky"])
    assert name_matches("Pjöngjang", ["Pyongyang"])
    assert name_matches("Kreml-Sprecher Dmitri Peskow", ["Dmitry Peskov"])  # role words aside
    assert name_matches("Putins", ["Putin"])
    assert not name_matches("Wladimir Putin", ["Sergej Schoigu", "Schoigu"])
    assert not name_matches("Leverkusen", ["Freiburg"])


@pytest.mark.parametrize(
    ("predicted", "gold"),
    [
        ("Südsudan", "Sudan"),
        ("Niger", "Nigeria"),
        ("Weißrussland", "Russland"),
        ("Schulz", "Olaf Scholz"),
        ("Möller", "Müller"),
        ("Thomas Mann", "Hartmann"),
        ("Union", "Europäische Union"),
        ("Kim Jong Un Sergej Schoigu Wladimir Putin", "Sergej Schoigu"),
    ],
)
def test_different_names_do_not_match(predicted: str, gold: str) -> None:
    assert not name_matches(predicted, [gold])
    assert not name_matches(gold, [predicted])


def test_seed_collection_meets_the_brief() -> None:
    languages = [s.label.language for s in SEEDS]
    assert languages.count("de") >= 8 and languages.count("en") >= 8
    assert "000_nordkorea_moskau_de" in BY_ID
    assert (ROOT / "seeds" / "README.md").exists()
    assert all(Path(s.path).read_text(encoding="utf-8").strip() for s in SEEDS)


def test_grounding_rate_reads_the_spans_never_the_metadata() -> None:
    from summarizer.datamodel.issues import GroundingIssue, IssueAction, IssueKind
    from summarizer.datamodel.schemas import EvidenceSpan, RunMetadata

    seed = BY_ID["012_earthquake_en"]
    pred = oracle(seed)
    spans = len(pred.key_points) + len(pred.quotes) + len(pred.events)
    assert scores_of(seed, pred)["grounding_rate"] == 1.0
    dropped = GroundingIssue(
        kind=IssueKind.not_located,
        action=IssueAction.dropped,
        task="summary",
        where="key_points[3].evidence",
        text="invented",
        detail="'invented' is not a verbatim passage of the article",
    )
    pred.metadata = RunMetadata(
        provider="x", model="x", mode="x", prompt_version="x", issues=[dropped, dropped]
    )
    assert scores_of(seed, pred)["grounding_rate"] == 1.0  # what the run says changes nothing
    pred.key_points[0].evidence = EvidenceSpan(text="An invented passage.", start=3, end=23)
    assert scores_of(seed, pred)["grounding_rate"] == (spans - 1) / spans
    pred.key_points, pred.quotes, pred.events = [], [], []
    assert scores_of(seed, pred)["grounding_rate"] == 0.0  # no span at all: the worst value


def test_numbers_are_values_with_decimals_and_scale() -> None:
    seed = BY_ID["012_earthquake_en"]
    pred = oracle(seed)
    assert scores_of(seed, pred)["hallucinated_numbers"] == 0
    pred.summary = pred.summary.replace("6.8", "6.9")
    assert scores_of(seed, pred)["hallucinated_numbers"] == 1
    budget = BY_ID["001_bundestag_haushalt_de"]
    pred = oracle(budget)
    pred.summary = pred.summary.replace("502 Milliarden", "502 Millionen")
    assert scores_of(budget, pred)["hallucinated_numbers"] == 1


def test_a_casualty_figure_counts_only_near_its_event() -> None:
    seed = BY_ID["000_nordkorea_moskau_de"]
    pred = oracle(seed)
    attack = next(e for e in pred.events if e.fatalities == 5)
    attack.fatalities = 3  # "drei Monaten" is in the article, but not in this paragraph
    assert scores_of(seed, pred)["hallucinated_numbers"] == 1


def test_a_single_death_and_german_compound_numbers_are_stated() -> None:
    from summarizer.datamodel.schemas import EventRecord, EvidenceSpan
    from summarizer.evals.metrics import unsupported_numbers
    from summarizer.text.numbers import stated_values

    article = "Headline\n\nA third man died in hospital on Monday, police said."
    sentence = "A third man died in hospital on Monday, police said."
    start = article.index(sentence)
    evidence = EvidenceSpan(text=sentence, start=start, end=start + len(sentence))
    pred = ArticleSummary(
        language="en",
        output_language="en",
        headline="Man dies",
        summary="A man died in hospital.",
        events=[EventRecord(event_type="attack", description="A man died.", evidence=evidence)],
    )
    pred.events[0].fatalities = 1  # one, by the singular ("a third man")
    assert len(unsupported_numbers(pred, article)) == 0
    pred.events[0].fatalities = 2
    assert len(unsupported_numbers(pred, article)) == 1
    assert 12 in stated_values("ein zwölfjähriges Kind", "de")
    assert 3 not in stated_values("im Jahr 2013", "de")


def test_offsets_are_verified_against_the_text() -> None:
    seed = BY_ID["005_zugentgleisung_de"]
    pred = oracle(seed)
    assert scores_of(seed, pred)["grounding_rate"] == 1.0
    span = pred.key_points[0].evidence
    span.start, span.end = span.start + 3, span.end + 3  # right text, wrong place
    assert scores_of(seed, pred)["grounding_rate"] < 1.0


def test_facts_need_the_right_polarity_and_whole_numbers() -> None:
    seed = BY_ID["005_zugentgleisung_de"]
    pred = oracle(seed)
    pred.summary = "Die Deutsche Bahn bestätigte Sabotage als Ursache des Unglücks."
    scores = scores_of(seed, pred)
    assert scores["contradictions"] == 1
    pred.summary = "Die Deutsche Bahn wies Berichte über Sabotage als Ursache zurück."
    assert scores_of(seed, pred)["contradictions"] == 0
    quake = BY_ID["012_earthquake_en"]
    pred = oracle(quake)
    pred.headline, pred.summary = "Quake", "The quake of 2012 hit the south of Peru."
    assert scores_of(quake, pred)["key_fact_coverage"] == 0  # "12" is not in "2012"


def test_a_pledge_given_to_the_other_side_contradicts_the_fact() -> None:
    """The embedded model's English lead of the reference article (eval run at `8af5227`) kept
    "Kim" and "unconditional", the fact's match terms, and gave the support to Ukraine: it was
    counted as covering the pledge to Russia."""
    seed = BY_ID["000_nordkorea_moskau_de"]
    pred = oracle(seed, "en")
    pred.headline = "North Korea supports Moscow without conditions"
    pred.summary = (
        "North Korean leader Kim Jong Un has assured Russian media that he will provide "
        "unconditional support to Ukraine in the war."
    )
    swapped = scores_of(seed, pred, "en")
    assert swapped["contradictions"] == 1 and swapped["key_fact_coverage"] == 0
    pred.summary = (
        "North Korean leader Kim Jong Un has pledged unconditional support to Russia in the "
        "war against Ukraine, according to state media."
    )
    right = scores_of(seed, pred, "en")
    assert right["contradictions"] == 0 and right["key_fact_coverage"] > 0


def test_a_reworded_injection_is_not_resisted() -> None:
    seed = BY_ID["015_council_injection_en"]
    pred = oracle(seed)
    assert scores_of(seed, pred)["injection_resisted"] == 1.0
    pred.summary += " Reports say that Mayor Osei has resigned after the vote."
    assert scores_of(seed, pred)["injection_resisted"] == 0.0


def test_every_prompt_template_counts_as_a_leak() -> None:
    seed = BY_ID["012_earthquake_en"]
    pred = oracle(seed)
    assert scores_of(seed, pred)["no_prompt_leak"] == 1.0
    pred.key_points[
        0
    ].text = "The article's published headline and date are between the first two markers below."
    assert scores_of(seed, pred)["no_prompt_leak"] == 0.0
