"""Eval harness: seeds check, suite runs (fake server, oracle, lead), caching, reports,
thresholds and compare."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import EXIT_THRESHOLD_MISSED, app
from summarizer.evals.gold import SeedError, load_seed, load_seeds
from summarizer.evals.metrics import DESCRIPTIVE
from summarizer.testing.fake_openai import FakeOpenAIServer, Reply
from tests import payloads
from tests.conftest import FULL_SCHEMAS_ENV, ROOT

runner = CliRunner()
SEEDS = ROOT / "seeds"


def copy_seeds(tmp_path: Path, *ids: str) -> Path:
    target = tmp_path / "seeds"
    target.mkdir()
    for seed_id in ids:
        for suffix in (".txt", ".json"):
            shutil.copy(SEEDS / f"{seed_id}{suffix}", target / f"{seed_id}{suffix}")
    return target


def write_suite(tmp_path: Path, **fields: object) -> Path:
    import yaml

    path = tmp_path / "suite.yaml"
    path.write_text(yaml.safe_dump({"name": "t", "seeds": str(SEEDS), **fields}), encoding="utf-8")
    return path


def test_seeds_check_passes_on_the_shipped_seeds() -> None:
    result = runner.invoke(app, ["seeds", "check", str(SEEDS)])
    assert result.exit_code == 0, result.stdout
    assert "16 seeds, 0 problems" in result.stdout


def test_seeds_check_finds_a_broken_label(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path, "000_nordkorea_moskau_de")
    label_path = seeds / "000_nordkorea_moskau_de.json"
    label = json.loads(label_path.read_text(encoding="utf-8"))
    label["quotes"][2]["text"] = "wie und wo"
    label["events"][0]["evidence"] = "Kim besuchte Moskau."
    label_path.write_text(json.dumps(label, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["seeds", "check", str(seeds)])
    assert result.exit_code == 1
    assert "quotes[2].text: not verbatim" in result.stdout
    assert "events[0].evidence: not verbatim" in result.stdout


def test_seeds_check_on_a_missing_directory_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["seeds", "check", str(tmp_path / "none")])
    assert result.exit_code == 2 and "no such seed directory" in result.stderr


def test_gold_loader_rejects_unknown_keys_and_wrong_ids(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path, "012_earthquake_en")
    label_path = seeds / "012_earthquake_en.json"
    label = json.loads(label_path.read_text(encoding="utf-8"))
    label_path.write_text(json.dumps({**label, "surprise": 1}), encoding="utf-8")
    with pytest.raises(SeedError, match="surprise"):
        load_seed(seeds / "012_earthquake_en.txt")
    label_path.write_text(json.dumps({**label, "id": "other"}), encoding="utf-8")
    with pytest.raises(SeedError, match="differs from the file name"):
        load_seed(seeds / "012_earthquake_en.txt")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.section_ids: list[str] = []
        self.marks = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "section" and attributes.get("id"):
            self.section_ids.append(str(attributes["id"]))
        if tag == "mark":
            self.marks += 1


def test_oracle_suite_is_perfect_and_the_report_shows_every_article(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = runner.invoke(
        app, ["eval", "run", str(ROOT / "evals" / "oracle.yaml"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["passed"] and report["articles"] == 32  # every seed in German and English
    judged = {m: v for m, v in report["aggregates"].items() if m not in DESCRIPTIVE}
    assert all(v in (1.0, 0.0, None) for v in judged.values())
    assert report["intervals"]["chrf"] == [1.0, 1.0]
    html = (out / "report.html").read_text(encoding="utf-8")
    parser = _Collector()
    parser.feed(html)
    ids = {seed.id for seed in load_seeds(SEEDS)}
    assert {s.rsplit("-", 1)[0] for s in parser.section_ids} == ids
    assert parser.marks > 0
    assert "<script" not in html and "http" not in html.split("<body>")[0]  # self-contained
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# Eval run: oracle")
    assert len(list((out / "articles").glob("*.json"))) == 32
    assert "nothing found" in html  # the oracle's problem lists are empty


def test_lead_baseline_runs_through_the_same_harness(tmp_path: Path) -> None:
    out = tmp_path / "lead"
    result = runner.invoke(
        app, ["eval", "run", str(ROOT / "evals" / "lead.yaml"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["provider"] == "lead"
    assert report["aggregates"]["entity_recall"] == 0.0  # the baseline extracts nothing
    assert 0 < report["aggregates"]["rouge_l"] < 1


def test_full_suite_against_the_fake_server_caches_results(tmp_path: Path) -> None:
    suite = write_suite(
        tmp_path,
        articles=["000_nordkorea_moskau_de"],
        thresholds={"schema_valid": 1.0, "event_recall": 0.1},
    )
    with FakeOpenAIServer() as server:
        server.script("SummaryDraft", Reply(payloads.draft()))
        server.script("EventList", Reply(payloads.events()))
        args = ["eval", "run", str(suite), "--provider", "openai", "--base-url", server.base_url]
        first = runner.invoke(app, [*args, "--out", str(tmp_path / "a")], env=FULL_SCHEMAS_ENV)
        assert first.exit_code == 0, first.stdout + first.stderr
        assert len(server.requests) == 2
        second = runner.invoke(app, [*args, "--out", str(tmp_path / "b")], env=FULL_SCHEMAS_ENV)
        assert second.exit_code == 0, second.stderr
        assert len(server.requests) == 2  # unchanged suite: no model calls
        report = json.loads((tmp_path / "b" / "report.json").read_text(encoding="utf-8"))
        assert report["cache_hits"] == 1
        article = json.loads(
            (tmp_path / "a" / "articles" / "000_nordkorea_moskau_de.de.json").read_text()
        )
        assert article["scores"]["schema_valid"] == 1.0
        assert article["prediction"]["events"][0]["fatalities"] == 5


def test_report_counts_the_tokens_of_articles_that_failed(tmp_path: Path) -> None:
    suite = write_suite(tmp_path, articles=["000_nordkorea_moskau_de"])
    with FakeOpenAIServer() as server:
        server.always("SummaryDraft", Reply(payloads.draft()))
        server.always("EventList", Reply("no JSON at all"))
        args = ["eval", "run", str(suite), "--provider", "openai", "--base-url", server.base_url]
        result = runner.invoke(
            app, [*args, "--out", str(tmp_path / "r"), "--no-cache"], env=FULL_SCHEMAS_ENV
        )
        assert result.exit_code == 0, result.stdout + result.stderr
        report = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
        assert report["failures"] == 1
        replies = len(server.requests)
        assert replies >= 3  # the summary, the events reply and at least one re-ask
        # Every reply costs 100 prompt and 50 completion tokens (the fake server's usage).
        spent = {"prompt_tokens": 100 * replies, "completion_tokens": 50 * replies}
        assert report["usage"] == spent


def test_missed_threshold_exits_nonzero(tmp_path: Path) -> None:
    suite = write_suite(
        tmp_path, provider="lead", articles=["012_earthquake_en"], thresholds={"entity_f1": 0.5}
    )
    result = runner.invoke(app, ["eval", "run", str(suite), "--out", str(tmp_path / "r")])
    assert result.exit_code == EXIT_THRESHOLD_MISSED
    assert "thresholds missed: entity_f1" in result.stderr


FAIL = "--fail-on-regression"


def test_compare_gives_intervals_and_fails_on_a_significant_regression(tmp_path: Path) -> None:
    lead = write_suite(tmp_path, provider="lead")
    runner.invoke(app, ["eval", "run", str(lead), "--out", str(tmp_path / "lead")])
    runner.invoke(
        app, ["eval", "run", str(ROOT / "evals" / "oracle.yaml"), "--out", str(tmp_path / "oracle")]
    )
    better = runner.invoke(
        app,
        [
            "eval",
            "compare",
            str(tmp_path / "lead"),
            str(tmp_path / "oracle"),
            "--fail-on-regression",
        ],
    )
    assert better.exit_code == 0, better.stdout + better.stderr
    entity_line = next(line for line in better.stdout.splitlines() if line.startswith("entity_f1"))
    assert entity_line.endswith("better (significant)") and "[+" in entity_line
    assert "16 articles in both runs" in better.stdout
    worse = runner.invoke(
        app,
        [
            "eval",
            "compare",
            str(tmp_path / "oracle"),
            str(tmp_path / "lead"),
            "--fail-on-regression",
        ],
    )
    assert worse.exit_code == EXIT_THRESHOLD_MISSED
    assert "000_nordkorea_moskau_de (de) key_fact_coverage: 1.000 ->" in worse.stdout
    assert "significant regressions" in worse.stderr and "entity_f1" in worse.stderr
    same = runner.invoke(
        app,
        ["eval", "compare", str(tmp_path / "lead"), str(tmp_path / "lead"), FAIL],
    )
    assert same.exit_code == 0 and "no significant change" in same.stdout


def test_invalid_suite_is_a_clear_error(tmp_path: Path) -> None:
    suite = write_suite(tmp_path, metrics=["not_a_metric"])
    result = runner.invoke(app, ["eval", "run", str(suite)])
    assert result.exit_code == 2 and "unknown metrics" in result.stderr
