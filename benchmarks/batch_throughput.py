"""Benchmark of batch throughput and of our own overhead (not a test; numbers go in the README).

1. Articles per second through ``BatchRunner`` against the fake OpenAI-compatible server (run in
   a separate process, so it does not compete with the client for the GIL) with a fixed latency
   per request, for several concurrency levels, as a share of the ideal: every article needs
   two requests, so with C requests in flight the ideal is C / (2 x latency) articles per second.
   Each level runs ``--repeats`` times; the median run is reported, with every run's rate.
2. Per-article overhead on a 1,000-word article (a new one each time, as in a batch, so no cache
   answers) with replies handed back instantly (no HTTP): our own code alone (prompt rendering,
   validation, grounding: ``our_code_median_ms``) and the whole pipeline including instructor's
   per-call request preparation (``median_ms``).
3. Start-up time of ``summarizer --help``.

    python benchmarks/batch_throughput.py --out benchmarks/results/batch_throughput.json
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.payloads: replies that ground in the seed article

from summarizer.batch.items import BatchItem  # noqa: E402
from summarizer.batch.openai_batch import ReplayBackend  # noqa: E402
from summarizer.batch.results import ResultsFile  # noqa: E402
from summarizer.batch.runner import BatchRunner, BatchTotals  # noqa: E402
from summarizer.datamodel.request import ArticleRequest  # noqa: E402
from summarizer.datamodel.settings import load_settings  # noqa: E402
from summarizer.grounding.context import GroundingRun  # noqa: E402
from summarizer.grounding.responses import RESPONSE_MODELS  # noqa: E402
from summarizer.inputs import article_request  # noqa: E402
from summarizer.pipeline import Summarizer  # noqa: E402
from summarizer.pipeline.calls import call_inputs  # noqa: E402
from summarizer.testing.fake_openai import Reply, completion  # noqa: E402
from tests import payloads  # noqa: E402

SEED = ROOT / "seeds" / "000_nordkorea_moskau_de.txt"

SERVER_SCRIPT = """
import sys
from summarizer.testing.fake_openai import FakeOpenAIServer, Reply
from tests import payloads
delay = float(sys.argv[1])
with FakeOpenAIServer() as server:
    server.always("SummaryDraft", Reply(payloads.draft(), delay_s=delay))
    server.always("EventList", Reply(payloads.events(), delay_s=delay))
    print(server.base_url, flush=True)
    sys.stdin.read()  # serve until the benchmark closes our stdin
"""


def throughput(concurrency: int, latency_s: float, articles: int) -> dict[str, Any]:
    """Articles per second of one batch run at ``concurrency``."""
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER_SCRIPT, str(latency_s)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert server.stdout is not None and server.stdin is not None
    base_url = server.stdout.readline().strip()
    try:
        settings = load_settings(
            provider="openai", base_url=base_url, concurrency=concurrency, mode="json_schema"
        )
        text = SEED.read_text(encoding="utf-8")
        items = [BatchItem(id=str(n), text=f"{text}\n\nMeldung {n}.") for n in range(articles)]
        runner = BatchRunner(settings, use_cache=False)
        with tempfile.TemporaryDirectory() as tmp, ResultsFile(Path(tmp) / "out.jsonl") as out:
            # One-off work (imports, language model, HTTP client) is start-up, not throughput.
            warm = [BatchItem(id=f"warm-{n}", text=f"{text}\n\nVorab {n}.") for n in range(2)]
            totals = BatchTotals(total=articles)
            warm_up, wall = asyncio.run(_timed_runs(runner, out, warm, items, totals))
        runner.close()
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    rate = articles / wall
    ideal = concurrency / (2 * latency_s)
    return {
        "concurrency": concurrency,
        "articles": articles,
        "ok": totals.ok,
        "wall_s": round(wall, 2),
        "warm_up_s": round(warm_up, 2),
        "articles_per_s": round(rate, 2),
        "ideal_articles_per_s": round(ideal, 2),
        "share_of_ideal": round(rate / ideal, 3),
    }


def throughput_level(
    concurrency: int, latency_s: float, articles: int, repeats: int
) -> dict[str, Any]:
    """The median of ``repeats`` runs (each with a fresh server and client) at ``concurrency``,
    with every run's rate alongside."""
    runs = [throughput(concurrency, latency_s, articles) for _ in range(repeats)]
    median = sorted(runs, key=lambda run: run["articles_per_s"])[len(runs) // 2]
    return {**median, "runs_articles_per_s": [run["articles_per_s"] for run in runs]}


async def _timed_runs(
    runner: BatchRunner,
    out: ResultsFile,
    warm: list[BatchItem],
    items: list[BatchItem],
    totals: BatchTotals,
) -> tuple[float, float]:
    started = time.perf_counter()
    await runner.run(warm, out, BatchTotals())
    warm_up = time.perf_counter() - started
    started = time.perf_counter()
    await runner.run(items, out, totals)
    return warm_up, time.perf_counter() - started


def thousand_word_articles() -> Iterator[str]:
    """1,000-word articles, each one new: the seed article followed by further seed articles,
    cut at 999 words, then a serial number (so no per-article cache can answer from before)."""
    words = SEED.read_text(encoding="utf-8").split(" ")
    for path in sorted((ROOT / "seeds").glob("0*_de.txt"))[1:]:
        words += ["\n\n", *path.read_text(encoding="utf-8").split(" ")]
    text = " ".join(words[:999])
    for serial in itertools.count():
        yield f"{text} {serial}"


def overhead(iterations: int) -> dict[str, Any]:
    """Milliseconds of our code per article when the model answers instantly."""
    articles = thousand_word_articles()
    settings = load_settings(provider="openai", base_url="http://unused/v1", mode="json_schema")
    request: dict[str, Any] = {"model": "m"}
    replies = [
        completion(request, Reply(payloads.draft())),
        completion(request, Reply(payloads.events())),
    ]
    from openai.types.chat import ChatCompletion

    def one() -> float:
        answers = [ChatCompletion.model_validate(r) for r in replies]
        backend = ReplayBackend("m", "json_schema", answers)
        summarizer = Summarizer(settings, backend)
        started = time.perf_counter()
        summary = asyncio.run(summarizer.asummarize(article_request(next(articles), language="de")))
        elapsed = time.perf_counter() - started
        assert summary.events and not summary.metadata.warnings  # type: ignore[union-attr]
        return elapsed * 1000

    def ours() -> float:
        """Only our code: rendering both prompts, then validating and grounding both replies."""
        article = next(articles)
        started = time.perf_counter()
        for task, payload in (("summary", payloads.draft()), ("events", payloads.events())):
            call_inputs(task, ArticleRequest(article, "de", "de"), constrain=False)
            run = GroundingRun(max_attempts=1)
            context = {"article": article, "run": run, "language": "de", "output_language": "de"}
            run.on_reply()
            RESPONSE_MODELS[task].model_validate(payload, context=context)
            assert not run.warnings
        return (time.perf_counter() - started) * 1000

    first = one()
    ours()
    own = [ours() for _ in range(iterations)]
    # asyncio.run's loop set-up is not per-article work in a batch (one loop runs them all):
    # measure it separately and subtract it.
    loop_ms = statistics.median(_loop_cost() for _ in range(50))
    samples = [one() - loop_ms for _ in range(iterations)]
    return {
        "article_words": len(next(articles).split()),
        "first_call_ms": round(first, 1),
        "our_code_median_ms": round(statistics.median(own), 2),
        "median_ms": round(statistics.median(samples), 2),
        "p90_ms": round(sorted(samples)[int(0.9 * len(samples))], 2),
        "event_loop_setup_ms_subtracted": round(loop_ms, 2),
        "iterations": iterations,
    }


def _loop_cost() -> float:
    async def nothing() -> None:
        return None

    started = time.perf_counter()
    asyncio.run(nothing())
    return (time.perf_counter() - started) * 1000


def startup(runs: int) -> dict[str, Any]:
    """Wall time of ``summarizer --help`` in a fresh process (and of bare Python, for scale)."""
    script = Path(sys.executable).parent / "summarizer"

    def timed(command: list[str]) -> float:
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        return (time.perf_counter() - started) * 1000

    help_ms = [timed([str(script), "--help"]) for _ in range(runs)]
    python_ms = [timed([sys.executable, "-c", "pass"]) for _ in range(runs)]
    return {
        "summarizer_help_median_ms": round(statistics.median(help_ms), 1),
        "bare_python_median_ms": round(statistics.median(python_ms), 1),
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per request")
    parser.add_argument("--levels", default="1,8,32,64")
    parser.add_argument("--repeats", type=int, default=3, help="runs per level (median kept)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    levels = [int(level) for level in args.levels.split(",")]
    results = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "latency_s": args.latency,
        "repeats": args.repeats,
        "throughput": [
            throughput_level(c, args.latency, max(20, 10 * c), args.repeats) for c in levels
        ],
        "overhead_1000_words": overhead(200),
        "startup": startup(15),
    }
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
