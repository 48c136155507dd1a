"""The API key never lands in an artifact, and every file a run writes is user-only."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import yaml
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.testing.fake_openai import FakeOpenAIServer, Reply, Status
from tests import payloads
from tests.conftest import FULL_SCHEMAS_ENV, ROOT, SEED_ARTICLE

KEY = "sk-proj-SECRET-do-not-leak-6f1c2b"
runner = CliRunner()


def test_no_artifact_of_a_run_contains_the_api_key(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: object
) -> None:
    # An endpoint that echoes the key in its errors (some proxies do) and fails now and then.
    echo = f"upstream rejected Authorization: Bearer {KEY}"
    server.script("SummaryDraft", Status(500, message=echo), Status(400, message=echo))
    server.always("SummaryDraft", Reply(payloads.draft()))
    server.always("EventList", Reply(payloads.events()))
    cache = tmp_path / "cache"
    env = {"OPENAI_API_KEY": KEY, "SUMMARIZER_CACHE_DIR": str(cache), **FULL_SCHEMAS_ENV}
    common = ["--base-url", server.base_url, "--provider", "openai"]
    outputs: list[str] = []

    single = runner.invoke(app, ["-v", "summarize", str(SEED_ARTICLE), *common], env=env)
    outputs += [single.stdout, single.stderr]

    articles = tmp_path / "articles"
    articles.mkdir()
    for number in range(3):
        text = SEED_ARTICLE.read_text(encoding="utf-8") + f"\n\nNachtrag {number}."
        (articles / f"a{number}.txt").write_text(text, encoding="utf-8")
    (articles / "short.txt").write_text("zu kurz", encoding="utf-8")  # an error record
    batch_out = tmp_path / "out" / "results.jsonl"
    batch = runner.invoke(
        app, ["-v", "batch", str(articles), "-o", str(batch_out), *common], env=env
    )
    outputs += [batch.stdout, batch.stderr]
    assert batch.exit_code == 4, batch.stderr  # the short article; the rest ok

    export = runner.invoke(
        app, ["batch", "export", str(articles), "-o", str(tmp_path / "out" / "req.jsonl")], env=env
    )
    outputs += [export.stdout, export.stderr]

    suite = tmp_path / "suite.yaml"
    suite.write_text(
        yaml.safe_dump(
            {"name": "k", "seeds": str(ROOT / "seeds"), "articles": ["000_nordkorea_moskau_de"]}
        ),
        encoding="utf-8",
    )
    run_dir = tmp_path / "out" / "eval"
    evaluated = runner.invoke(
        app, ["-v", "eval", "run", str(suite), *common, "--out", str(run_dir)], env=env
    )
    outputs += [evaluated.stdout, evaluated.stderr]
    assert evaluated.exit_code == 0, evaluated.stderr

    assert any("HTTP 500" in o or "HTTP 400" in o for o in outputs)  # the echo was exercised
    for text in outputs:
        assert KEY not in text
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p.parent != articles]
    assert any(p.suffix == ".db" for p in files) and len(files) >= 8
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path
        if path != suite:
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
    for directory in [cache / "results", run_dir, run_dir / "articles"]:
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    records = [json.loads(line) for line in batch_out.read_text().splitlines()]
    assert {r["status"] for r in records} == {"ok", "error"}


def test_verbose_logs_of_a_real_process_mask_the_key(server: FakeOpenAIServer) -> None:
    """instructor logs raw error bodies at ERROR; an endpoint that echoes the key must not get
    it printed (in a real process, where -v sends those logs to stderr)."""
    echo = f"upstream rejected Authorization: Bearer {KEY}"
    server.always(None, Status(400, message=echo))
    env = {**os.environ, "OPENAI_API_KEY": KEY, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "summarizer", "-v", "summarize", str(SEED_ARTICLE)]
    done = subprocess.run(
        [*command, "--base-url", server.base_url, "--provider", "openai"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2  # a rejected request: a setting to change
    assert "HTTP 400" in done.stderr and "summarizer:" in done.stderr  # logs were printed
    assert KEY not in done.stderr + done.stdout
