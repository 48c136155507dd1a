"""`eval score` (saved predictions, no model) and the optional LLM judge (fake server)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.datamodel.schemas import BatchRecord
from summarizer.evals.degenerate import copy
from summarizer.evals.diagnosis import Diagnosis
from summarizer.evals.gold import load_seeds
from summarizer.evals.judge import claims_of, validation_claims
from summarizer.evals.oracle import gold_to_summary
from summarizer.evals.report import PROBLEM_HEADINGS
from summarizer.testing.fake_openai import FakeOpenAIServer, Respond
from summarizer.text.numbers import claimed_values, stated_values
from tests.conftest import ROOT

runner = CliRunner()
SEEDS = {seed.id: seed for seed in load_seeds(ROOT / "seeds")}


def write_predictions(directory: Path, build: Any, ids: list[str]) -> None:
    directory.mkdir()
    for seed_id in ids:
        seed = SEEDS[seed_id]
        pred = build(seed)
        (directory / f"{seed_id}.json").write_text(pred.model_dump_json(), encoding="utf-8")


def score(args: list[str]) -> tuple[Any, dict[str, Any]]:
    result = runner.invoke(app, ["eval", "score", *args])
    out = Path(args[args.index("--out") + 1])
    report = json.loads((out / "report.json").read_text()) if (out / "report.json").exists() else {}
    return result, report


def test_saved_predictions_are_scored_like_a_run(tmp_path: Path) -> None:
    ids = ["005_zugentgleisung_de", "012_earthquake_en"]
    preds = tmp_path / "preds"
    write_predictions(preds, lambda s: gold_to_summary(s.label, s.text, s.label.language), ids)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for seed_id in ids:
        for suffix in (".txt", ".json"):
            (seeds / f"{seed_id}{suffix}").write_bytes(
                (ROOT / "seeds" / f"{seed_id}{suffix}").read_bytes()
            )
    result, report = score([str(preds), "--seeds", str(seeds), "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert report["articles"] == 2 and report["failures"] == 0
    assert report["aggregates"]["key_fact_coverage"] == 1.0
    assert report["aggregates"]["grounding_rate"] == 1.0
    assert (tmp_path / "r" / "report.html").exists()


def test_offsets_are_reverified_and_missing_predictions_are_failures(tmp_path: Path) -> None:
    seed = SEEDS["005_zugentgleisung_de"]
    pred = gold_to_summary(seed.label, seed.text, "de")
    for point in pred.key_points:
        point.evidence.start += 2  # the right words, claimed at the wrong place
        point.evidence.end += 2
    preds = tmp_path / "preds"
    preds.mkdir()
    (preds / "005_zugentgleisung_de.de.json").write_text(pred.model_dump_json())
    result, report = score([str(preds), "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.stderr
    assert report["articles"] == 16 and report["failures"] == 15  # the other seeds: no prediction
    row = next(r for r in report["per_article"] if r["id"] == "005_zugentgleisung_de")
    assert row["scores"]["grounding_rate"] < 1.0
    assert row["problems"]["ungrounded_spans"]


def test_a_batch_results_file_is_scored_and_unknown_articles_refused(tmp_path: Path) -> None:
    seed = SEEDS["012_earthquake_en"]
    junk = copy(seed.text, seed.label, "en")
    record = BatchRecord(id="012_earthquake_en.txt", status="ok", summary=junk)
    results = tmp_path / "results.jsonl"
    results.write_text(record.to_json_line())
    result, report = score([str(results), "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.stderr
    row = next(r for r in report["per_article"] if r["id"] == "012_earthquake_en")
    assert row["scores"]["schema_valid"] == 1.0
    assert row["scores"]["extractive_density"] > 50  # a copy: one long fragment per word
    stray = BatchRecord(id="not-a-seed", status="ok", summary=junk)
    results.write_text(stray.to_json_line())
    refused = runner.invoke(app, ["eval", "score", str(results), "--out", str(tmp_path / "x")])
    assert refused.exit_code == 2 and "not seeds: not-a-seed" in refused.stderr


def test_the_html_report_lists_every_kind_of_problem() -> None:
    assert set(PROBLEM_HEADINGS) == set(Diagnosis.model_fields)


def _toy_judge(body: dict[str, Any]) -> dict[str, Any]:
    """A stand-in judge: a claim is supported when the article states each of its numbers and
    contains its longer words (what the harness must pass through, not a real judgement)."""
    prompt = body["messages"][-1]["content"]
    article = re.search(
        r"=== (?:ARTICLE|ARTIKEL) \w+ ===\n(.*)\n=== (?:END ARTICLE|ENDE ARTIKEL)", prompt, re.S
    )
    assert article is not None
    text = article.group(1)
    language = "de" if "=== ARTIKEL" in prompt else "en"
    claims = re.findall(
        r"^(\d+)\. (.*)$", prompt.split("Claims:" if language == "en" else "Behauptungen:")[1], re.M
    )
    verdicts = []
    for number, claim in claims:
        numbers_ok = claimed_values(claim, "en") <= stated_values(text, language) | claimed_values(
            text, language
        )
        verdicts.append({"claim": int(number), "supported": numbers_ok, "reason": "toy"})
    return {"verdicts": verdicts}


def test_the_judge_scores_faithfulness_and_is_cached(tmp_path: Path) -> None:
    seed = SEEDS["012_earthquake_en"]
    preds = tmp_path / "preds"
    write_predictions(preds, lambda s: gold_to_summary(s.label, s.text, "en"), [seed.id])
    pred = gold_to_summary(seed.label, seed.text, "en")
    pred.summary += " The quake killed 400 people."  # a planted false claim
    (preds / f"{seed.id}.json").write_text(pred.model_dump_json())
    with FakeOpenAIServer() as server:
        server.always("JudgeReply", Respond(_toy_judge))
        args = [
            str(preds),
            "--judge-base-url",
            server.base_url,
            "--judge-model",
            "toy",
            "--out",
        ]
        result, report = score([*args, str(tmp_path / "a")])
        assert result.exit_code == 0, result.stdout + result.stderr
        claims = len(claims_of(pred))
        row = next(r for r in report["per_article"] if r["id"] == seed.id)
        assert row["scores"]["faithfulness"] == (claims - 1) / claims
        assert [v["claim"] for v in row["judgement"] if not v["supported"]] == [
            "The quake killed 400 people."
        ]
        assert row["problems"]["unsupported_claims"]
        assert report["judge"] == "toy"
        requests = len(server.requests)
        assert requests == 3  # the prediction's claims, and the judge's own check in de and en
        quality = report["judge_quality"]
        assert set(quality) == {"true_accepted", "false_caught"}
        assert report["judge_reliable"] == (min(quality.values()) >= 0.8)
        prompt = server.requests[0]["messages"][-1]["content"]
        assert "You check claims against a news article" in prompt  # the English judge prompt
        score([*args, str(tmp_path / "b")])
        assert len(server.requests) == requests  # verdicts cached


def test_judge_validation_claims_hold_true_and_planted_false_ones() -> None:
    seed = SEEDS["001_bundestag_haushalt_de"]
    claims = validation_claims(seed.label, "de")
    true = [c for c, ok in claims if ok]
    false = [c for c, ok in claims if not ok]
    assert true and false
    assert any("502 Millionen" in c or "389" not in c for c in false)
    with FakeOpenAIServer() as server:
        server.always("JudgeReply", Respond(_toy_judge))
        result = runner.invoke(
            app,
            [
                "eval",
                "judge-check",
                "--seeds",
                str(ROOT / "seeds"),
                "--judge-base-url",
                server.base_url,
                "--judge-model",
                "toy",
            ],
        )
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "true claims judged supported:" in result.stdout
    supported = re.search(r"true claims judged supported: (\d+)/(\d+)", result.stdout)
    assert supported and supported.group(1) == supported.group(2)  # the toy judge knows numbers
