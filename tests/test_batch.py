"""``summarizer batch``: inputs, concurrency, rate limits, resume, cache, errors, Batch API."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.batch.collector import BATCH_GEN0_THRESHOLD, fewer_collections
from summarizer.batch.items import BatchItem, BatchSource
from summarizer.batch.limits import RequestLimits, estimated_tokens
from summarizer.batch.openai_batch import ResultLines
from summarizer.batch.results import ResultsFile
from summarizer.batch.runner import BatchRunner, BatchTotals
from summarizer.cli import EXIT_SOME_FAILED, app
from summarizer.datamodel.errors import InputError
from summarizer.datamodel.schemas import BatchRecord
from summarizer.datamodel.settings import load_settings
from summarizer.testing.fake_openai import (
    FakeOpenAIServer,
    Reply,
    Respond,
    Status,
    completion,
)
from tests import payloads
from tests.conftest import FULL_SCHEMAS, FULL_SCHEMAS_ENV, ROOT, SEED_ARTICLE

runner = CliRunner(env=FULL_SCHEMAS_ENV)  # the fake replies are full-schema replies


def endpoint_args(server: FakeOpenAIServer) -> list[str]:
    return ["--provider", "openai", "--base-url", server.base_url]


def answer_everything(server: FakeOpenAIServer, delay_s: float = 0.0) -> None:
    server.always("SummaryDraft", Reply(payloads.draft(), delay_s=delay_s))
    server.always("EventList", Reply(payloads.events(), delay_s=delay_s))


def article_text(number: int) -> str:
    """Distinct articles that the seed payloads ground in (so the cache cannot merge them)."""
    return SEED_ARTICLE.read_text(encoding="utf-8") + f"\n\nMeldung Nummer {number}."


def make_articles(directory: Path, count: int) -> Path:
    directory.mkdir()
    for number in range(count):
        (directory / f"a{number:03d}.txt").write_text(article_text(number), encoding="utf-8")
    return directory


def read_records(path: Path) -> list[BatchRecord]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [BatchRecord.model_validate_json(line) for line in lines]


def test_sources_read_directories_jsonl_and_html(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(article_text(1), encoding="utf-8")
    (folder / "sub" / "b.md").write_text("# Titel\n\n" + article_text(2), encoding="utf-8")
    page = (
        "<html><head><title>Explosion in Hamburg</title></head><body><nav>Menü</nav><article>"
        "<p>Bei einer Explosion in einer Lagerhalle im Hamburger Hafen sind am Freitag zwei "
        "Menschen verletzt worden.</p><p>Die Polizei ermittelt.</p></article></body></html>"
    )
    (folder / "c.html").write_text(page, encoding="utf-8")
    (folder / "skip.json").write_text("{}", encoding="utf-8")
    items = {item.id: item for item in BatchSource(str(folder))}
    assert set(items) == {"a.txt", "sub/b.md", "c.html"}
    assert items["sub/b.md"].text.startswith("# Titel")
    assert items["c.html"].title == "Explosion in Hamburg"
    assert "Menü" not in items["c.html"].text
    assert "zwei Menschen verletzt" in items["c.html"].text

    jsonl = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": 7, "text": article_text(3), "title": "T", "date": "2024-05-03"}),
        "",
        "{not json",
        json.dumps({"id": "x", "text": article_text(4), "language": "fr"}),
        json.dumps({"text": "no id"}),
    ]
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    source = BatchSource(str(jsonl))
    assert source.count() == 4
    parsed = list(source)
    assert [item.id for item in parsed] == ["7", "line-3", "x", "line-5"]
    assert parsed[0].error is None and parsed[0].date == "2024-05-03"
    assert "invalid JSON" in str(parsed[1].error)
    assert "not supported" in str(parsed[2].error)
    assert "missing 'id'" in str(parsed[3].error)


def test_batch_writes_one_record_per_article_with_errors_recorded(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    answer_everything(server)
    jsonl = tmp_path / "in.jsonl"
    rows = [{"id": f"n{i}", "text": article_text(i), "title": f"Titel {i}"} for i in range(5)]
    rows.insert(2, {"id": "short", "text": "Zu kurz."})
    rows.append({"id": "n1", "text": article_text(99)})  # duplicate id: skipped
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out" / "results.jsonl"
    result = runner.invoke(
        app, ["batch", str(jsonl), "--out", str(out), "--concurrency", "4", *endpoint_args(server)]
    )
    assert result.exit_code == EXIT_SOME_FAILED, result.stderr
    records = read_records(out)
    assert sorted(r.id for r in records) == ["n0", "n1", "n2", "n3", "n4", "short"]
    failed = [r for r in records if r.status == "error"]
    assert [(r.id, r.error.type) for r in failed if r.error] == [("short", "InputError")]
    good = next(r for r in records if r.id == "n3")
    assert good.title == "Titel 3"
    assert good.summary is not None and good.summary.headline == payloads.DRAFT["headline"]
    assert good.metadata is not None and good.metadata.usage.prompt_tokens == 200
    assert good.metadata.prompt_version and good.metadata.model
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "batch: 6 articles (5 ok, 1 failed, 0 from cache)" in result.stderr
    assert "skipped 1 duplicate ids" in result.stderr
    assert len(server.requests) == 10


def test_tokens_of_an_article_that_failed_count_in_its_record_and_the_totals(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    def about(body: dict[str, Any]) -> str:
        return json.dumps(body["messages"], ensure_ascii=False)

    def events_unless_article_one(body: dict[str, Any]) -> dict[str, Any] | str:
        return "no JSON at all" if "Meldung Nummer 1." in about(body) else payloads.events()

    server.always("SummaryDraft", Reply(payloads.draft()))
    server.always("EventList", Respond(events_unless_article_one))
    folder = make_articles(tmp_path / "in", 2)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(folder), "-o", str(out), *endpoint_args(server)])
    assert result.exit_code == EXIT_SOME_FAILED, result.stderr
    failed = next(r for r in read_records(out) if r.status == "error")
    assert failed.error is not None and failed.error.type == "ModelOutputError"
    # Every reply costs 100 prompt and 50 completion tokens (the fake server's usage).
    replies = sum("Meldung Nummer 1." in about(body) for body in server.requests)
    assert replies >= 3  # the summary, the events reply and at least one re-ask
    assert failed.metadata is not None
    assert (failed.metadata.usage.prompt_tokens, failed.metadata.usage.completion_tokens) == (
        100 * replies,
        50 * replies,
    )
    total = len(server.requests)
    assert f"tokens {100 * total:,} in / {50 * total:,} out" in result.stderr


def test_requests_in_flight_never_exceed_concurrency(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    answer_everything(server, delay_s=0.2)
    folder = make_articles(tmp_path / "in", 12)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["batch", str(folder), "-o", str(out), "--concurrency", "6", *endpoint_args(server)]
    )
    assert result.exit_code == 0, result.stderr
    assert server.max_in_flight == 6
    assert len(read_records(out)) == 12


def test_requests_per_minute_limit_spaces_requests(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    answer_everything(server)
    folder = make_articles(tmp_path / "in", 5)
    args = ["batch", str(folder), "-o", str(tmp_path / "o.jsonl"), "--rpm", "600"]
    started = time.monotonic()
    result = runner.invoke(app, [*args, "--concurrency", "8", *endpoint_args(server)])
    assert result.exit_code == 0, result.stderr
    assert len(server.arrivals) == 10
    # 600 per minute: one every 0.1 s, no burst; without the limit all 10 come within ~20 ms.
    assert server.arrivals[-1] - started >= 0.9
    assert server.arrivals[4] - started >= 0.4


async def test_tokens_per_minute_limit_holds_back_requests() -> None:
    arrivals: list[float] = []

    async def create(**_: Any) -> None:
        arrivals.append(time.monotonic())

    # 60,000 tokens per minute with a one-second bucket: 1,000 tokens, refilled at 1,000/s.
    gate = RequestLimits(8, tokens_per_minute=60_000, token_bucket_s=1.0)
    request = {"messages": [], "max_tokens": 500}
    assert estimated_tokens(request) == 500
    started = time.monotonic()
    await asyncio.gather(*(gate.wrap(create)(**request) for _ in range(6)))
    # Two fit in the bucket at once; each further one waits for 500 tokens to refill (0.5 s).
    assert arrivals[-1] - started >= 1.9
    estimate = estimated_tokens({"messages": [{"role": "user", "content": "x" * 4000}]})
    assert estimate == 1000 + len('[{"role": "user", "content": ""}]') // 4


def test_cache_hits_make_no_requests(server: FakeOpenAIServer, tmp_path: Path) -> None:
    answer_everything(server)
    folder = make_articles(tmp_path / "in", 3)
    first = runner.invoke(
        app, ["batch", str(folder), "-o", str(tmp_path / "1.jsonl"), *endpoint_args(server)]
    )
    assert first.exit_code == 0, first.stderr
    assert len(server.requests) == 6
    second = runner.invoke(
        app, ["batch", str(folder), "-o", str(tmp_path / "2.jsonl"), *endpoint_args(server)]
    )
    assert second.exit_code == 0, second.stderr
    assert len(server.requests) == 6  # nothing new went over HTTP
    records = read_records(tmp_path / "2.jsonl")
    assert all(r.cached and r.status == "ok" for r in records)
    assert "3 from cache" in second.stderr and "tokens 0 in / 0 out" in second.stderr
    third = runner.invoke(
        app,
        [
            "batch",
            str(folder),
            "-o",
            str(tmp_path / "3.jsonl"),
            "--no-cache",
            *endpoint_args(server),
        ],
    )
    assert third.exit_code == 0 and len(server.requests) == 12


def test_retry_failed_redoes_error_records_only(server: FakeOpenAIServer, tmp_path: Path) -> None:
    folder = make_articles(tmp_path / "in", 3)
    out = tmp_path / "out.jsonl"
    server.always(None, Reply("this is not JSON"))
    args = ["batch", str(folder), "-o", str(out), "--max-reasks", "0", *endpoint_args(server)]
    first = runner.invoke(app, args)
    assert first.exit_code == EXIT_SOME_FAILED
    assert {r.error.type for r in read_records(out) if r.error} == {"ModelOutputError"}
    answer_everything(server)
    server.always(None, Status(500))  # unused: per-schema answers win
    plain_rerun = runner.invoke(app, args)
    # The errors are still there: a plain rerun skips them and says so (exit 4).
    assert plain_rerun.exit_code == EXIT_SOME_FAILED
    assert "skipped 3 already done" in plain_rerun.stderr
    assert "3 article(s)" in plain_rerun.stderr and "--retry-failed" in plain_rerun.stderr
    retried = runner.invoke(app, [*args, "--retry-failed"])
    assert retried.exit_code == 0, retried.stderr
    records = read_records(out)
    assert sorted(r.id for r in records) == ["a000.txt", "a001.txt", "a002.txt"]
    assert all(r.status == "ok" for r in records)


def test_rejected_key_stops_the_run_without_error_records(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    server.always(None, Status(401))
    folder = make_articles(tmp_path / "in", 4)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app,
        ["batch", str(folder), "-o", str(out), *endpoint_args(server)],
        env={"OPENAI_API_KEY": "sk-batch-secret-123456"},
    )
    assert result.exit_code == 1
    assert "invalid API key" in result.stderr
    assert "sk-batch-secret-123456" not in result.stderr
    assert read_records(out) == []  # nothing recorded: a rerun with a good key does them all


def test_a_server_that_dies_mid_run_ends_it_with_the_records_kept(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    """After two articles the server drops every connection (as a crashed server would): the
    run ends with one clear error instead of an error record per remaining article, and what
    was written stays for the rerun."""
    import threading

    from summarizer.testing.fake_openai import Decide, Drop

    served: list[int] = []

    def until_it_dies(body: dict) -> Any:
        served.append(1)
        if len(served) > 4:  # two articles of two calls each: then it goes away
            threading.Thread(target=server.stop).start()
            return Drop()
        return Reply(payloads.draft() if "SummaryDraft" in str(body) else payloads.events())

    server.always(None, Decide(until_it_dies))
    folder = make_articles(tmp_path / "in", 6)
    out = tmp_path / "out.jsonl"
    env = {"SUMMARIZER_BACKOFF_INITIAL_S": "0.01", "SUMMARIZER_BACKOFF_MAX_S": "0.02"}
    args = ["batch", str(folder), "-o", str(out), "--concurrency", "1", "--no-cache"]
    result = runner.invoke(app, [*args, *endpoint_args(server)], env=env)
    assert result.exit_code == 1
    assert "could not connect" in result.stderr and "Traceback" not in result.stderr
    records = read_records(out)
    assert [r.status for r in records] == ["ok", "ok"]  # kept; the rest is left for the rerun


def test_partial_last_line_is_cut_on_reopen(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    whole = BatchRecord(id="a", status="error").to_json_line()
    out.write_text(whole + whole[:20], encoding="utf-8")
    with ResultsFile(out) as results:
        assert results.statuses() == {"a": "error"}
        results.append(BatchRecord(id="b", status="error"))
    assert [r.id for r in read_records(out)] == ["a", "b"]


def test_a_second_run_on_the_same_output_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with ResultsFile(out), pytest.raises(Exception, match="another batch run"):
        ResultsFile(out).__enter__()


def batch_command(
    server: FakeOpenAIServer, folder: Path, out: Path, tmp_path: Path
) -> tuple[list[str], dict[str, str]]:
    """``summarizer batch`` as a real process (two requests in flight, no cache)."""
    command = [sys.executable, "-m", "summarizer", "batch", str(folder), "--out", str(out)]
    command += ["--concurrency", "2", "--no-cache", *endpoint_args(server)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SUMMARIZER_CACHE_DIR": str(tmp_path / "c")}
    env |= FULL_SCHEMAS_ENV
    return command, env


def wait_for_records(out: Path, count: int, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if out.exists() and out.read_text(encoding="utf-8").count("\n") >= count:
            return
        time.sleep(0.02)


def test_resume_after_sigkill_loses_and_duplicates_nothing(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    answer_everything(server, delay_s=0.15)
    count = 16
    folder = make_articles(tmp_path / "in", count)
    out = tmp_path / "out.jsonl"
    command, env = batch_command(server, folder, out, tmp_path)
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for_records(out, 4)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    before = read_records(out)
    assert 4 <= len(before) < count
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    records = read_records(out)
    ids = [r.id for r in records]
    assert sorted(ids) == sorted(f"a{n:03d}.txt" for n in range(count))  # each exactly once
    assert [r.id for r in records[: len(before)]] == [r.id for r in before]
    assert f"skipped {len(before)} already done" in finished.stderr


def batch_api_results(requests_file: Path, replies: dict[str, Any]) -> str:
    """What the OpenAI Batch API returns for a request file (one line per request)."""
    lines = []
    for number, line in enumerate(requests_file.read_text(encoding="utf-8").splitlines()):
        request = json.loads(line)
        task = request["custom_id"].split("|")[1]
        body = completion(request["body"], Reply(replies[task]))
        lines.append(
            json.dumps(
                {
                    "id": f"batch_req_{number}",
                    "custom_id": request["custom_id"],
                    "response": {"status_code": 200, "request_id": f"req_{number}", "body": body},
                    "error": None,
                }
            )
        )
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("mode", ["tools", "json_schema"])
def test_batch_api_export_import_round_trip(
    server: FakeOpenAIServer, tmp_path: Path, mode: str
) -> None:
    folder = make_articles(tmp_path / "in", 2)
    requests_file = tmp_path / "requests.jsonl"
    exported = runner.invoke(
        app,
        ["batch", "export", str(folder), "-o", str(requests_file), "--mode", mode],
        env={"OPENAI_API_KEY": "sk-export-secret-123456"},
    )
    assert exported.exit_code == 0, exported.stderr
    requests = [json.loads(line) for line in requests_file.read_text().splitlines()]
    assert len(requests) == 4
    assert all(r["url"] == "/v1/chat/completions" and r["method"] == "POST" for r in requests)
    assert "sk-export-secret" not in requests_file.read_text()
    # The exported bodies are the ones a live run sends.
    answer_everything(server)
    live = runner.invoke(
        app,
        [
            "batch",
            str(folder),
            "-o",
            str(tmp_path / "live.jsonl"),
            "--mode",
            mode,
            "--model",
            "gpt-4o-mini",
            *endpoint_args(server),
        ],
    )
    assert live.exit_code == 0, live.stderr
    sent = {json.dumps(b["messages"]) for b in server.requests}
    assert {json.dumps(r["body"]["messages"]) for r in requests} == sent
    results_file = tmp_path / "results.jsonl"
    results_file.write_text(
        batch_api_results(
            requests_file, {"summary": payloads.draft(), "events": payloads.events()}
        ),
        encoding="utf-8",
    )
    (folder / "a001.txt").write_text(article_text(1) + " Nachtrag.", encoding="utf-8")
    imported_out = tmp_path / "imported.jsonl"
    imported = runner.invoke(
        app,
        [
            "batch",
            "import",
            str(folder),
            str(results_file),
            "-o",
            str(imported_out),
            "--mode",
            mode,
        ],
    )
    assert imported.exit_code == EXIT_SOME_FAILED, imported.stderr
    by_id = {r.id: r for r in read_records(imported_out)}
    assert by_id["a000.txt"].status == "ok"
    summary = by_id["a000.txt"].summary
    assert summary is not None and summary.events[0].fatalities == 5
    assert summary.key_points[0].evidence.start > 0  # grounded: offsets into the article
    assert by_id["a000.txt"].metadata.provider == "openai-batch"  # type: ignore[union-attr]
    assert by_id["a001.txt"].status == "error"
    assert "changed since the export" in by_id["a001.txt"].error.message  # type: ignore[union-attr]


def test_result_lines_are_found_by_custom_id_and_read_only_when_asked(tmp_path: Path) -> None:
    def line(custom_id: str, content: str) -> str:
        return json.dumps({"custom_id": custom_id, "content": content}, ensure_ascii=False)

    first, second = tmp_path / "part-1.jsonl", tmp_path / "part-2.jsonl"
    # Multi-byte characters before a line: offsets are bytes, not characters.
    first.write_text(f"{line('a', 'Müller über Straßen')}\n\n{line('b', 'zwei')}\n", "utf-8")
    second.write_text(line("a", "später") + "\n", encoding="utf-8")
    with ResultLines([first, second]) as lines:
        assert lines.get("b") == {"custom_id": "b", "content": "zwei"}
        assert lines.get("a") == {"custom_id": "a", "content": "später"}  # the later file wins
        assert lines.get("c") is None

    broken = tmp_path / "broken.jsonl"
    broken.write_text(line("a", "ok") + "\n{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.jsonl line 2 is not a Batch API result line"):
        ResultLines([broken]).__enter__()
    with pytest.raises(InputError, match="cannot read"):
        ResultLines([tmp_path / "missing.jsonl"]).__enter__()


def test_server_farm_concurrency_is_reached_and_never_exceeded(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    # A vLLM farm behind one base URL looks like this server: many requests in flight at once.
    answer_everything(server, delay_s=1.0)  # long enough for all 32 to be sent meanwhile
    folder = make_articles(tmp_path / "in", 40)
    out = tmp_path / "out.jsonl"
    args = ["batch", str(folder), "-o", str(out), "--concurrency", "32", "--no-cache"]
    result = runner.invoke(app, [*args, *endpoint_args(server)])
    assert result.exit_code == 0, result.stderr
    assert server.max_in_flight == 32
    assert len(read_records(out)) == 40 and len(server.requests) == 80


def test_ctrl_c_stops_the_run_with_130_and_keeps_what_was_written(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    answer_everything(server, delay_s=0.3)
    folder = make_articles(tmp_path / "in", 12)
    out = tmp_path / "out.jsonl"
    command, env = batch_command(server, folder, out, tmp_path)
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # Ctrl-C as at a terminal, also when the tests run in the background (a shell starts
        # background jobs with SIGINT ignored, and the child would inherit that).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    wait_for_records(out, 2)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr.decode()
    assert b"interrupted" in stderr and b"Traceback" not in stderr
    assert b"batch: " in stderr  # the closing line still reports what was done
    records = read_records(out)
    assert 2 <= len(records) < 12 and len({r.id for r in records}) == len(records)


def test_progress_bar_and_cost_line(server: FakeOpenAIServer, tmp_path: Path) -> None:
    answer_everything(server)
    folder = make_articles(tmp_path / "in", 3)
    args = ["batch", str(folder), "-o", str(tmp_path / "o.jsonl"), "--progress"]
    args += ["--price-in", "1.0", "--price-out", "2.0", *endpoint_args(server)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert "3/3" in result.stderr and "ok=3" in result.stderr and "tok_in=600" in result.stderr
    # 600 prompt tokens at $1 and 300 completion tokens at $2 per million.
    assert "tokens 600 in / 300 out" in result.stderr
    assert "est. cost $0.0012 (configured)" in result.stderr


def test_list_price_of_a_known_model_and_unknown_price() -> None:
    from summarizer.batch.pricing import price_for
    from summarizer.datamodel.settings import load_settings

    known = price_for(load_settings(provider="openai", api_key="sk-x", model="gpt-4o-mini"))
    assert known is not None and known.input_per_mtok == 0.15
    assert price_for(load_settings(provider="openai", base_url="http://h/v1", model="x")) is None


def test_jsonl_headline_and_date_reach_the_prompts_and_the_records(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    answer_everything(server)
    jsonl = tmp_path / "feed.jsonl"
    rows = [
        {"id": "a", "text": article_text(1), "title": "Kim in Moskau", "date": "2024-09-13"},
        {"id": "b", "text": article_text(1)},  # same text without them: a prompt of its own
    ]
    jsonl.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(jsonl), "-o", str(out), *endpoint_args(server)])
    assert result.exit_code == 0, result.stderr
    prompts = [request["messages"][-1]["content"] for request in server.requests]
    assert len(prompts) == 4
    assert sum("Headline: Kim in Moskau\nDate: 2024-09-13\n" in p for p in prompts) == 2
    assert sum("HEADLINE AND DATE" not in p for p in prompts) == 2
    records = {record.id: record for record in read_records(out)}
    assert (records["a"].title, records["a"].date) == ("Kim in Moskau", "2024-09-13")
    assert records["a"].status == records["b"].status == "ok"


def test_identical_articles_in_one_run_are_summarized_once(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    answer_everything(server, delay_s=0.2)
    jsonl = tmp_path / "in.jsonl"
    same = article_text(1)
    rows = [{"id": f"copy{i}", "text": same} for i in range(3)] + [
        {"id": "other", "text": article_text(2)}
    ]
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = ["batch", str(jsonl), "-o", str(out), "--concurrency", "8", "--no-cache"]
    result = runner.invoke(app, [*args, *endpoint_args(server)])
    assert result.exit_code == 0, result.stderr
    assert len(server.requests) == 4  # two articles, two calls each
    records = {r.id: r for r in read_records(out)}
    assert len(records) == 4 and all(r.status == "ok" for r in records.values())
    assert sum(r.cached for r in records.values()) == 2


def test_jsonl_on_stdin_with_a_chosen_cache_location(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    answer_everything(server)
    rows = [{"id": f"s{i}", "text": article_text(i), "date": "2024-05-03"} for i in range(2)]
    out = tmp_path / "out.jsonl"
    cache = tmp_path / "my-cache"
    args = ["batch", "-", "-o", str(out), "--cache-dir", str(cache), *endpoint_args(server)]
    result = runner.invoke(app, args, input="".join(json.dumps(r) + "\n" for r in rows))
    assert result.exit_code == 0, result.stderr
    records = sorted((r.id, r.date, r.status) for r in read_records(out))
    assert records == [("s0", "2024-05-03", "ok"), ("s1", "2024-05-03", "ok")]
    assert (cache / "results" / "cache.db").exists()


def test_export_splits_at_the_batch_api_file_limits_and_import_reads_every_part(
    tmp_path: Path,
) -> None:
    from summarizer.batch.openai_batch import export_requests
    from summarizer.datamodel.settings import load_settings

    folder = make_articles(tmp_path / "in", 3)
    out = tmp_path / "requests.jsonl"
    settings = load_settings(provider="openai", api_key="sk-x", mode="tools")
    totals = export_requests(BatchSource(str(folder)), settings, out, None, max_requests=3)
    names = [p.name for p in totals.files]
    assert names == ["requests-001.jsonl", "requests-002.jsonl", "requests-003.jsonl"]
    assert not out.exists() and totals.requests == 6
    for part in totals.files:  # an article's two requests stay together
        assert len(part.read_text(encoding="utf-8").splitlines()) == 2
    results = []
    for number, part in enumerate(totals.files):
        path = tmp_path / f"output-{number}.jsonl"
        path.write_text(
            batch_api_results(part, {"summary": payloads.draft(), "events": payloads.events()}),
            encoding="utf-8",
        )
        results.append(str(path))
    imported_out = tmp_path / "imported.jsonl"
    imported = runner.invoke(
        app, ["batch", "import", str(folder), *results, "-o", str(imported_out), "--mode", "tools"]
    )
    assert imported.exit_code == 0, imported.stderr
    assert sorted(r.status for r in read_records(imported_out)) == ["ok", "ok", "ok"]


def test_a_run_collects_garbage_in_larger_steps_and_restores_the_setting(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    answer_everything(server)
    before = gc.get_threshold()
    during: list[int] = []
    settings = load_settings(provider="openai", base_url=server.base_url, **FULL_SCHEMAS)
    batch = BatchRunner(settings, use_cache=False)
    items = [BatchItem(id=str(n), text=article_text(n)) for n in range(2)]
    with ResultsFile(tmp_path / "out.jsonl") as out:
        totals = asyncio.run(
            batch.run(items, out, BatchTotals(), lambda _: during.append(gc.get_threshold()[0]))
        )
    assert totals.ok == 2
    assert during == [BATCH_GEN0_THRESHOLD] * 2
    assert gc.get_threshold() == before

    with pytest.raises(RuntimeError), fewer_collections(5000):
        assert gc.get_threshold() == (max(5000, before[0]), *before[1:])
        raise RuntimeError("the setting comes back after an error too")
    assert gc.get_threshold() == before


def test_batch_on_ray_without_ray_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without Ray installed, --ray is a one-line configuration error (exit 2) naming the
    extra; nothing is written."""
    monkeypatch.setitem(sys.modules, "ray", None)  # as if not installed: import raises
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Berlin – Ein Satz über etwas. Noch ein Satz.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = ["batch", str(folder), "-o", str(out), "--provider", "lead", "--ray", "local"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "pip install 'summarizer[ray]'" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def test_batch_on_ray_auto_without_a_cluster_is_one_line(tmp_path: Path) -> None:
    """--ray auto where no cluster runs: exit 1 with one line saying what to do; nothing
    written."""
    pytest.importorskip("ray")
    if Path("/tmp/ray/ray_current_cluster").exists():
        pytest.skip("a Ray cluster runs on this machine")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(article_text(1), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = ["batch", str(folder), "-o", str(out), "--provider", "lead", "--ray", "auto"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.stderr
    assert "could not join the Ray cluster at 'auto'" in result.stderr
    assert "--ray local starts one" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()
