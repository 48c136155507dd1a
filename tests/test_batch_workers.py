"""``summarizer batch --workers N``: the run spread over worker processes, one writer."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

from summarizer.batch.processes import share
from summarizer.cli import app
from summarizer.settings import load_settings
from summarizer.testing.fake_openai import FakeOpenAIServer, Status
from tests.test_batch import (
    answer_everything,
    article_text,
    batch_command,
    endpoint_args,
    make_articles,
    read_records,
    runner,
    wait_for_records,
)


def test_limits_are_shared_out_between_workers() -> None:
    settings = load_settings(
        provider="openai", base_url="http://h/v1", concurrency=7, requests_per_minute=60
    )
    shares = [share(settings, 3, worker) for worker in range(3)]
    assert [s.resolved_concurrency for s in shares] == [3, 2, 2]
    assert [s.requests_per_minute for s in shares] == [20, 20, 20]
    assert all(s.tokens_per_minute is None for s in shares)


def test_workers_write_every_record_once_within_the_concurrency(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    answer_everything(server, delay_s=0.2)
    jsonl = tmp_path / "in.jsonl"
    rows = [{"id": f"n{i}", "text": article_text(i)} for i in range(20)]
    rows[4:4] = [{"id": f"copy{i}", "text": article_text(3)} for i in range(2)]  # n3, again
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = ["batch", str(jsonl), "-o", str(out), "--workers", "2", "--concurrency", "8"]
    result = runner.invoke(app, [*args, "--no-cache", *endpoint_args(server)])
    assert result.exit_code == 0, result.stderr
    records = read_records(out)
    assert sorted(r.id for r in records) == sorted(row["id"] for row in rows)
    assert all(r.status == "ok" and r.summary is not None for r in records)
    # Identical articles go to the same worker, which summarizes them once (--no-cache: the
    # copies wait for the call in flight).
    assert len(server.requests) == 2 * 20
    assert sum(r.cached for r in records) == 2
    assert 4 < server.max_in_flight <= 8  # both workers sent requests; together at most 8
    assert "batch: 22 articles (22 ok, 0 failed, 2 from cache)" in result.stderr


def test_workers_need_an_endpoint(tmp_path: Path) -> None:
    folder = make_articles(tmp_path / "in", 1)
    args = ["batch", str(folder), "-o", str(tmp_path / "o.jsonl"), "--workers", "2"]
    result = runner.invoke(app, [*args, "--provider", "local"])
    assert result.exit_code == 2
    assert "--workers needs an endpoint" in result.stderr and "Traceback" not in result.stderr


def test_a_rejected_key_in_a_worker_stops_the_run(server: FakeOpenAIServer, tmp_path: Path) -> None:
    server.always(None, Status(401))
    folder = make_articles(tmp_path / "in", 6)
    out = tmp_path / "out.jsonl"
    args = ["batch", str(folder), "-o", str(out), "--workers", "2", "--concurrency", "4"]
    result = runner.invoke(app, [*args, *endpoint_args(server)])
    assert result.exit_code == 1
    assert "invalid API key" in result.stderr and "Traceback" not in result.stderr
    assert read_records(out) == []


def test_resume_after_sigkill_of_the_parent_with_workers(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    answer_everything(server, delay_s=0.15)
    count = 16
    folder = make_articles(tmp_path / "in", count)
    out = tmp_path / "out.jsonl"
    command, env = batch_command(server, folder, out, tmp_path)
    command += ["--workers", "2"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for_records(out, 4)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    before = read_records(out)
    assert 4 <= len(before) < count
    time.sleep(1.5)  # the orphaned workers notice and exit: no more requests arrive
    sent = len(server.requests)
    time.sleep(0.5)
    assert len(server.requests) == sent
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    ids = [r.id for r in read_records(out)]
    assert sorted(ids) == sorted(f"a{n:03d}.txt" for n in range(count))  # each exactly once
