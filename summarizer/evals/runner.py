"""Run a suite: summarize every seed (concurrently where the provider allows, cached), then score
it (:mod:`summarizer.evals.scoring`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from summarizer.cache import ResultCache, summary_key
from summarizer.datamodel.errors import SummarizerError
from summarizer.datamodel.settings import Settings, load_settings
from summarizer.datamodel.types import Language
from summarizer.evals.gold import Seed, load_seeds
from summarizer.evals.judge import Judge, judge_quality
from summarizer.evals.oracle import OracleBackend
from summarizer.evals.scoring import ArticleResult, RunReport, build_report, now, score_result
from summarizer.evals.suite import Suite
from summarizer.inputs import article_request
from summarizer.pipeline import Summarizer
from summarizer.pipeline.metering import metering
from summarizer.prompts import prompt_version
from summarizer.providers import Backend, DirectBackend, make_backend


def suite_settings(suite: Suite, overrides: dict[str, Any]) -> Settings:
    """Settings for a suite: suite file, then command-line overrides, then the environment."""
    values: dict[str, Any] = {
        "provider": suite.provider,
        "model": suite.model,
        "mode": suite.mode,
        "base_url": suite.base_url,
        **suite.settings,
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return load_settings(**values)


def suite_backend(suite: Suite, settings: Settings) -> Backend | DirectBackend:
    """The backend of a suite's run: the oracle answers from the suite's own seeds."""
    if settings.resolved_provider == "oracle":
        return OracleBackend(settings, seeds_dir=suite.seeds)
    return make_backend(settings)


def suite_seeds(suite: Suite) -> list[Seed]:
    """The suite's seeds: all of its directory, or the articles it names."""
    seeds = load_seeds(suite.seeds)
    if suite.articles is None:
        return seeds
    by_id = {s.id: s for s in seeds}
    missing = [a for a in suite.articles if a not in by_id]
    if missing:
        raise SummarizerError(f"suite {suite.name}: unknown articles {missing}")
    return [by_id[a] for a in suite.articles]


class SuiteRunner:
    """Runs one suite with one provider configuration (and optionally an LLM judge)."""

    def __init__(
        self,
        suite: Suite,
        settings: Settings,
        *,
        use_cache: bool = True,
        judge_settings: Settings | None = None,
    ) -> None:
        self.suite = suite
        self.settings = settings
        self.summarizer = Summarizer(settings, suite_backend(suite, settings))
        # Providers without a model (lead, the oracle) answer at once and are never cached: a
        # corrected gold label is never served stale.
        store = ResultCache(settings.resolved_cache_dir / "results") if use_cache else None
        direct = isinstance(self.summarizer.backend, DirectBackend)
        self.cache = None if direct else store
        self.judge = Judge(judge_settings, store) if judge_settings is not None else None
        self._store = store

    def jobs(self) -> list[tuple[Seed, Language]]:
        """Every (article, output language) pair, once ("null" means the article's own)."""
        pairs: dict[tuple[str, Language], tuple[Seed, Language]] = {}
        for seed in suite_seeds(self.suite):
            for language in self.suite.output_languages:
                resolved: Language = language or seed.label.language
                pairs.setdefault((seed.id, resolved), (seed, resolved))
        return list(pairs.values())

    async def _predict(self, seed: Seed, result: ArticleResult) -> None:
        """Fill ``result``'s prediction (from the cache or the model) or its error."""
        try:
            request = article_request(
                seed.text, language=seed.label.language, output_language=result.output_language
            )
            summarizer = self.summarizer
            key = summary_key(summarizer.backend, self.settings, summarizer.policy, request)
            cached = self.cache.get(key) if self.cache else None
            if cached is not None:
                result.prediction, result.cached = cached, True
                return
            result.prediction = await self.summarizer.asummarize(request)
        except SummarizerError as exc:
            result.error = f"{type(exc).__name__}: {exc}"
            return
        if self.cache is not None:
            self.cache.put(key, result.prediction)

    async def run(self, on_result: Callable[[ArticleResult], None] | None = None) -> RunReport:
        started_at = now()
        started = time.perf_counter()
        width = self.suite.concurrency if self.summarizer.backend.concurrent else 1
        gate = asyncio.Semaphore(width)
        jobs = self.jobs()
        results = [ArticleResult(id=seed.id, output_language=lang) for seed, lang in jobs]

        async def one(seed: Seed, result: ArticleResult) -> None:
            async with gate:
                await self._predict(seed, result)
                await score_result(result, seed, self.suite.metrics, self.judge)
            if on_result is not None:
                on_result(result)

        try:
            # Metered, so that articles that failed after some replies count too.
            with metering() as meter:
                await asyncio.gather(
                    *(one(seed, r) for (seed, _), r in zip(jobs, results, strict=True))
                )
            quality, reliable = (
                await judge_quality(self.judge, list({s.id: s for s, _ in jobs}.values()))
                if self.judge
                else (None, None)
            )
        finally:
            if self._store is not None:
                self._store.close()
        backend = self.summarizer.backend
        return build_report(
            results,
            self.suite.metrics,
            self.suite.thresholds,
            suite=self.suite.name,
            provider=backend.name,
            model=backend.model,
            mode=backend.mode_name,
            prompt_version=prompt_version(),
            started_at=started_at,
            wall_s=round(time.perf_counter() - started, 2),
            usage=meter.usage,
            judge=self.judge.model if self.judge else None,
            judge_quality=quality,
            judge_reliable=reliable,
        )


def default_run_dir(suite_name: str, root: Path = Path("runs")) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return root / f"{suite_name}-{stamp}"
