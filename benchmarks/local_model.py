"""Benchmark of the embedded local model on this machine (not a test; numbers go in the README).

For the reference article (seed 000) and the smoke seeds (000, 005, 012), one article at a time
in one process (the model loaded once, as in a batch), per variant of the decoding:

* wall time per article, and the model calls it took;
* prompt tokens, and those prefilled (the rest came from the KV cache);
* reply tokens decoded one by one (the model's choices) and fast-forwarded (forced by the
  grammar, evaluated in batches);
* llama.cpp's own prefill and decode times, and the ratio of wall time to their sum (what our
  code, the grammar and Python add).

Variants: ``default`` (ids, fast-forward, article-first prompts), ``no_fast_forward`` (every
reply token decoded one by one), ``copy_evidence`` (evidence and quotes copied instead of named
by id). Each article runs once per variant; the first article of a process also pays the model
load, which is reported apart.

    python benchmarks/local_model.py --out benchmarks/results/local_model.json
    python benchmarks/local_model.py --variants default --articles 000_nordkorea_moskau_de
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

from summarizer.datamodel.settings import load_settings
from summarizer.inputs import article_request
from summarizer.pipeline import Summarizer
from summarizer.providers import policy_for
from summarizer.providers.embedded_model import embedded_model_path
from summarizer.providers.local import CallTiming, LocalBackend, decoder_for, load_llama
from summarizer.providers.threads import default_threads

ROOT = Path(__file__).resolve().parent.parent
SMOKE = ["000_nordkorea_moskau_de", "005_zugentgleisung_de", "012_earthquake_en"]
VARIANTS: dict[str, dict[str, Any]] = {
    "default": {},
    "no_fast_forward": {"fast_forward": False},
    "copy_evidence": {"sentence_ids": False},
}


def totals(timings: list[CallTiming], wall_s: float) -> dict[str, Any]:
    """The counters of one article's calls."""
    prefill_s = sum(t.prefill_ms for t in timings) / 1000
    decode_s = sum(t.decode_ms for t in timings) / 1000
    decoded = sum(t.decoded_tokens for t in timings)
    return {
        "wall_s": round(wall_s, 2),
        "calls": len(timings),
        "replies": [t.label for t in timings],
        "prompt_tokens": sum(t.prompt_tokens for t in timings),
        "prefilled_tokens": sum(t.evaluated_prompt_tokens for t in timings),
        "decoded_tokens": decoded,
        "forced_tokens": sum(t.forced_tokens for t in timings),
        "prefill_s": round(prefill_s, 2),
        "decode_s": round(decode_s, 2),
        "decode_tokens_per_s": round(decoded / decode_s, 1) if decode_s else None,
        "wall_to_llama_ratio": round(wall_s / (prefill_s + decode_s), 3)
        if prefill_s + decode_s
        else None,
    }


def run(articles: list[str], variants: list[str]) -> dict[str, Any]:
    settings = load_settings(provider="local")
    path = settings.local_model or embedded_model_path(settings.resolved_cache_dir)
    threads = default_threads(settings.threads).threads
    started = time.perf_counter()
    llama = load_llama(str(path), settings.context_size, threads)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    decoder_for(llama)
    tokenizer_s = time.perf_counter() - started
    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "threads": threads,
            "python": platform.python_version(),
        },
        "model": policy_for(settings).model,
        "load_s": round(load_s, 2),
        "grammar_tokenizer_s": round(tokenizer_s, 2),
        "variants": {},
    }
    for variant in variants:
        variant_settings = load_settings(provider="local", **VARIANTS[variant])
        per_article: dict[str, Any] = {}
        for name in articles:
            text = (ROOT / "seeds" / f"{name}.txt").read_text(encoding="utf-8")
            llama.reset()  # each article starts from an empty cache, as a new process would
            backend = LocalBackend(variant_settings)
            summarizer = Summarizer(variant_settings, backend)
            began = time.perf_counter()
            result = asyncio.run(summarizer.asummarize(article_request(text)))
            article = totals(backend.timings, time.perf_counter() - began)
            assert result.metadata is not None
            article["warnings"] = len(result.metadata.warnings)
            per_article[name] = article
            print(variant, name, json.dumps(article), flush=True)
        results["variants"][variant] = per_article
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", nargs="+", default=SMOKE, help="seed ids (default: smoke)")
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--out", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    results = run(args.articles, args.variants)
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
