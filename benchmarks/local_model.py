"""Benchmark of the embedded local model on this machine (not a test; numbers go in the README).

Measures, for the user's seed article: model load time, prompt / evaluated / completion tokens,
prefill and generation tokens per second (llama.cpp's own counters), wall time per article, and
the ratio of our end-to-end time to the time spent inside llama.cpp generating the same tokens.
Then, for a batch of articles, the prefill saved by reusing the KV cache of the shared system
prompt (prefix_cache on vs off).

    python benchmarks/local_model.py --batch 5 --out benchmarks/results/local_model.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

from summarizer.core.settings import load_settings
from summarizer.pipeline import Summarizer
from summarizer.providers.embedded_model import embedded_model_path
from summarizer.providers.local import CallTiming, LocalBackend, load_llama

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _totals(timings: list[CallTiming]) -> dict[str, Any]:
    prompt = sum(t.prompt_tokens for t in timings)
    evaluated = sum(t.evaluated_prompt_tokens for t in timings)
    completion = sum(t.completion_tokens for t in timings)
    prefill_s = sum(t.prefill_ms for t in timings) / 1000
    decode_s = sum(t.decode_ms for t in timings) / 1000
    return {
        "calls": len(timings),
        "prompt_tokens": prompt,
        "evaluated_prompt_tokens": evaluated,
        "completion_tokens": completion,
        "prefill_s": round(prefill_s, 2),
        "decode_s": round(decode_s, 2),
        "prefill_tokens_per_s": round(evaluated / prefill_s, 1) if prefill_s else None,
        "generation_tokens_per_s": round(completion / decode_s, 1) if decode_s else None,
        "llama_wall_s": round(sum(t.llama_wall_s for t in timings), 2),
    }


async def _summarize_all(summarizer: Summarizer, texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        await summarizer.asummarize(text)
    return time.perf_counter() - started


def run(batch: int) -> dict[str, Any]:
    settings = load_settings(provider="local")
    path = settings.local_model or embedded_model_path(settings.resolved_cache_dir)
    threads = settings.threads or os.cpu_count() or 1
    started = time.perf_counter()
    load_llama(str(path), settings.context_size, threads)
    load_s = time.perf_counter() - started

    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "threads": threads,
            "python": platform.python_version(),
        },
        "model": settings.resolved_model,
        "load_s": round(load_s, 2),
    }

    backend = LocalBackend(settings)
    summarizer = Summarizer(settings, backend)
    seed_text = (ROOT / "seeds" / "000_nordkorea_moskau_de.txt").read_text(encoding="utf-8")
    wall = asyncio.run(_summarize_all(summarizer, [seed_text]))
    single = _totals(backend.timings)
    single["wall_s"] = round(wall, 2)
    single["overhead_ratio_vs_llama_call"] = round(wall / single["llama_wall_s"], 3)
    single["overhead_ratio_vs_llama_compute"] = round(
        wall / (single["prefill_s"] + single["decode_s"]), 3
    )
    results["seed_article"] = single

    texts = [p.read_text(encoding="utf-8") for p in SEEDS[:batch]]
    for label, reuse in (("batch_prefix_cache_on", True), ("batch_prefix_cache_off", False)):
        batch_settings = load_settings(provider="local", prefix_cache=reuse)
        batch_backend = LocalBackend(batch_settings)
        wall = asyncio.run(_summarize_all(Summarizer(batch_settings, batch_backend), texts))
        totals = _totals(batch_backend.timings)
        totals["articles"] = len(texts)
        totals["wall_s"] = round(wall, 2)
        results[label] = totals
    on, off = results["batch_prefix_cache_on"], results["batch_prefix_cache_off"]
    results["prefix_cache_saving"] = {
        "prompt_tokens_not_prefilled": off["evaluated_prompt_tokens"]
        - on["evaluated_prompt_tokens"],
        "prefill_s_saved": round(off["prefill_s"] - on["prefill_s"], 2),
        "wall_s_saved": round(off["wall_s"] - on["wall_s"], 2),
    }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=5, help="articles in the batch comparison")
    parser.add_argument("--out", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    results = run(args.batch)
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
