"""The command line, through typer's runner and through a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.testing.fake_openai import FakeOpenAIServer, Reply, Status
from tests import payloads
from tests.conftest import FULL_SCHEMAS_ENV, SEED_ARTICLE

runner = CliRunner(env=FULL_SCHEMAS_ENV)  # the fake replies are full-schema replies
KEY = "sk-cli-secret-987654321"


def endpoint_args(server: FakeOpenAIServer) -> list[str]:
    return ["--provider", "openai", "--base-url", server.base_url]


def test_schema_prints_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "ArticleSummary"
    assert {"headline", "key_points", "events", "quotes"} <= set(schema["properties"])
    event = json.loads(runner.invoke(app, ["schema", "event-record"]).stdout)
    assert "attack" in event["$defs"]["EventType"]["enum"]


def test_summarize_json_to_stdout(server: FakeOpenAIServer) -> None:
    server.script("SummaryDraft", Reply(payloads.draft()))
    server.script("EventList", Reply(payloads.events()))
    result = runner.invoke(
        app,
        ["summarize", str(SEED_ARTICLE), "--format", "json", *endpoint_args(server)],
        env={"OPENAI_API_KEY": KEY, **FULL_SCHEMAS_ENV},
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["headline"] == payloads.DRAFT["headline"]
    assert data["metadata"]["provider"] == "openai"
    assert KEY not in result.stdout


def test_summarize_markdown_report(server: FakeOpenAIServer) -> None:
    server.script("SummaryDraft", Reply(payloads.draft()))
    server.script("EventList", Reply(payloads.events()))
    result = runner.invoke(
        app,
        ["summarize", str(SEED_ARTICLE), "-f", "markdown", *endpoint_args(server)],
        env={"OPENAI_API_KEY": KEY, **FULL_SCHEMAS_ENV},
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Kim sichert Russland")
    assert "## Key points" in result.stdout and "## Events" in result.stdout
    assert "killed: 5" in result.stdout


def test_stdin_input(server: FakeOpenAIServer) -> None:
    server.script("SummaryDraft", Reply(payloads.draft()))
    server.script("EventList", Reply(payloads.events()))
    result = runner.invoke(
        app,
        ["summarize", "-", "-f", "json", *endpoint_args(server)],
        input=SEED_ARTICLE.read_text(encoding="utf-8"),
        env={"OPENAI_API_KEY": KEY, **FULL_SCHEMAS_ENV},
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["language"] == "de"


def test_a_web_pages_headline_and_the_date_option_reach_the_prompt(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    server.always("SummaryDraft", Reply(payloads.draft()))
    server.always("EventList", Reply(payloads.events()))
    paragraphs = SEED_ARTICLE.read_text(encoding="utf-8").split("\n\n")
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Kim in Moskau</title></head><body><article>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article></body></html>",
        encoding="utf-8",
    )
    for extra, headline in (
        ([], "Kim in Moskau"),
        (["--title", "Besuch in Moskau"], "Besuch in Moskau"),
    ):
        server.requests.clear()
        args = ["summarize", str(page), "-f", "json", "--date", "2024-09-13", *extra]
        result = runner.invoke(app, [*args, *endpoint_args(server)])
        assert result.exit_code == 0, result.stderr
        user = server.requests[0]["messages"][-1]["content"]
        assert f"Headline: {headline}\nDate: 2024-09-13\n" in user
        assert "<p>" not in user


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "is empty"),
        (b"   \n\t ", "is empty"),
        (b"Kurz.", "too short"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 8, "binary file"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "article.txt"
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(
        app, ["summarize", str(path), "--provider", "openai", "--base-url", "http://127.0.0.1:9/v1"]
    )
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_endpoint_failure_exits_1_without_the_key(server: FakeOpenAIServer) -> None:
    server.script(None, *[Status(401)] * 2)
    result = runner.invoke(
        app,
        ["summarize", str(SEED_ARTICLE), *endpoint_args(server)],
        env={"OPENAI_API_KEY": KEY, **FULL_SCHEMAS_ENV},
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: invalid API key")
    assert KEY not in result.stderr + result.stdout


def test_invalid_setting_exits_2() -> None:
    result = runner.invoke(app, ["summarize", str(SEED_ARTICLE), "--max-reasks", "99"])
    assert result.exit_code == 2
    assert "max_reasks" in result.stderr


def test_unknown_option_value_exits_2() -> None:
    result = runner.invoke(app, ["summarize", str(SEED_ARTICLE), "--mode", "telepathy"])
    assert result.exit_code == 2


def test_real_subprocess_pipes_json(server: FakeOpenAIServer) -> None:
    server.script("SummaryDraft", Reply(payloads.draft()))
    server.script("EventList", Reply(payloads.events()))
    env = {**os.environ, "OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.base_url}
    env |= FULL_SCHEMAS_ENV
    proc = subprocess.run(
        [sys.executable, "-m", "summarizer", "summarize", str(SEED_ARTICLE)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)  # JSON is the default when stdout is a pipe
    assert data["events"][0]["fatalities"] == 5
    assert proc.stderr == ""
