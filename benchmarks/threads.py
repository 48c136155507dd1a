"""The embedded model's thread count, measured (not a test; the table goes in the README).

The reference article (seed 000) on the embedded model, once per thread count and machine load:
``quiet`` (nothing else running) and ``busy`` (one CPU-bound process beside it, as an eval
scoring job would be). Each configuration runs in a fresh process (the model loaded with that
thread count); reported: wall time, llama.cpp's decode tokens per second (tokens the model
chose, one forward pass each) and prefill tokens per second.

    python benchmarks/threads.py --out benchmarks/results/threads.json
    python benchmarks/threads.py --threads 1 2 --loads quiet busy
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "seeds" / "000_nordkorea_moskau_de.txt"
#: A CPU-bound neighbour: what an eval scoring job or a compiler is to the model.
BUSY = "while True: pass"


def measure(threads: int) -> dict[str, Any]:
    """One summary of the reference article with ``threads`` threads (in this process)."""
    from summarizer.datamodel.settings import load_settings
    from summarizer.inputs import article_request
    from summarizer.pipeline import Summarizer
    from summarizer.providers.local import LocalBackend

    settings = load_settings(provider="local", threads=threads)
    backend = LocalBackend(settings)
    backend._llama()  # load first: the load is not the article's time
    summarizer = Summarizer(settings, backend)
    started = time.perf_counter()
    asyncio.run(summarizer.asummarize(article_request(ARTICLE.read_text(encoding="utf-8"))))
    wall = time.perf_counter() - started
    decoded = sum(t.decoded_tokens for t in backend.timings)
    decode_s = sum(t.decode_ms for t in backend.timings) / 1000
    prefilled = sum(t.evaluated_prompt_tokens + t.forced_tokens for t in backend.timings)
    prefill_s = sum(t.prefill_ms for t in backend.timings) / 1000
    return {
        "threads": threads,
        "wall_s": round(wall, 1),
        "decoded_tokens": decoded,
        "decode_tokens_per_s": round(decoded / decode_s, 2) if decode_s else None,
        "prefill_tokens_per_s": round(prefilled / prefill_s, 1) if prefill_s else None,
    }


def run(threads: list[int], loads: list[str]) -> list[dict[str, Any]]:
    rows = []
    for load in loads:
        for count in threads:
            neighbour = subprocess.Popen([sys.executable, "-c", BUSY]) if load == "busy" else None
            try:
                done = subprocess.run(
                    [sys.executable, __file__, "--one", str(count)],
                    check=True,
                    capture_output=True,
                    text=True,
                )
            finally:
                if neighbour is not None:
                    neighbour.kill()
                    neighbour.wait()
            row = {"load": load, **json.loads(done.stdout.strip().splitlines()[-1])}
            print(json.dumps(row), flush=True)
            rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--loads", nargs="+", default=["quiet", "busy"], choices=["quiet", "busy"])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one)))
        return
    rows = run(args.threads, args.loads)
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
