"""Articles per hour through llama.cpp's ``llama-server`` with ``--parallel N`` slots and a batch
at concurrency N (issue 24): the embedded model on this machine, the 16 seeds per N.

    python benchmarks/llama_server_parallel.py --parallel 1 2 \
        [--out benchmarks/results/llama_server_parallel.json]

llama-server is the one the slow tests use (SUMMARIZER_LLAMA_SERVER, or built by
scripts/build_llama_server.sh and cached).

Each N gets a fresh server (``-c`` 16,384 tokens per slot, ``-t`` = the machine's cores), is
probed once (not timed), then ``summarizer batch`` runs the seeds at concurrency N (no cache).
Reported: wall time, seconds per article, articles per hour, the batch's tokens and completion
tokens per second, and how many records were ok.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.test_real_servers: the server starter the slow tests use

from tests.test_real_servers import Server  # noqa: E402


def measure(parallel: int, workdir: Path) -> dict[str, object]:
    from summarizer.datamodel.settings import load_settings
    from summarizer.providers.embedded_model import embedded_model_path

    model = embedded_model_path(load_settings(provider="local").resolved_cache_dir)
    articles = workdir / "in"
    if not articles.exists():
        articles.mkdir()
        for path in sorted((ROOT / "seeds").glob("*.txt")):
            shutil.copy(path, articles / path.name)
    log = workdir / f"server-{parallel}.log"
    threads = os.cpu_count() or 1
    server = Server("llama-server", model, log, 16384 * parallel, parallel, threads)
    url = server.base_url
    env = {**os.environ, "SUMMARIZER_CACHE_DIR": str(workdir / "cache"), "OPENAI_API_KEY": "k"}
    env["SUMMARIZER_TIMEOUT_S"] = "900"
    cli = [sys.executable, "-m", "summarizer"]
    try:
        subprocess.run([*cli, "probe", "--base-url", url, "--model", "qwen"], env=env, check=True)
        out = workdir / f"out-{parallel}.jsonl"
        batch = [*cli, "batch", str(articles), "-o", str(out), "--base-url", url]
        batch += ["--model", "qwen", "--concurrency", str(parallel), "--no-cache", "--no-progress"]
        started = time.perf_counter()
        done = subprocess.run(batch, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - started
    finally:
        server.stop()
    records = [json.loads(line) for line in out.read_text().splitlines()]
    usage = [r["metadata"]["usage"] for r in records if r.get("metadata")]
    completion = sum(u["completion_tokens"] for u in usage)
    return {
        "parallel": parallel,
        "concurrency": parallel,
        "threads": threads,
        "articles": len(records),
        "ok": sum(r["status"] == "ok" for r in records),
        "wall_s": round(wall, 1),
        "s_per_article": round(wall / len(records), 1),
        "articles_per_hour": round(3600 * len(records) / wall, 1),
        "prompt_tokens": sum(u["prompt_tokens"] for u in usage),
        "completion_tokens": completion,
        "completion_tokens_per_s": round(completion / wall, 1),
        "batch_line": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parallel", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "benchmarks/results/llama_server_parallel.json"
    )
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for parallel in args.parallel:
            result = measure(parallel, Path(folder))
            print(json.dumps(result), flush=True)
            results.append(result)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
