"""Run a suite: summarize every seed (concurrently where the provider allows, cached), score it,
aggregate, check thresholds, and write the run directory."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from summarizer.cache import ResultCache, summary_key
from summarizer.core.errors import SummarizerError
from summarizer.core.request import ArticleRequest
from summarizer.core.schemas import ArticleSummary, Language, TokenUsage
from summarizer.core.settings import Settings, load_settings
from summarizer.evals.gold import Seed, load_seeds
from summarizer.evals.metrics import LOWER_IS_BETTER, Scores, score_article
from summarizer.evals.suite import Suite
from summarizer.pipeline import Summarizer
from summarizer.pipeline.metering import metering
from summarizer.prompts import prompt_version


class ArticleResult(BaseModel):
    id: str
    output_language: Language
    prediction: ArticleSummary | None = None
    error: str | None = None
    cached: bool = False
    scores: Scores = Field(default_factory=dict)

    @property
    def file_stem(self) -> str:
        return f"{self.id}.{self.output_language}"


class ThresholdResult(BaseModel):
    metric: str
    threshold: float
    value: float | None
    passed: bool


class RunReport(BaseModel):
    suite: str
    provider: str
    model: str
    mode: str
    prompt_version: str
    started_at: str
    wall_s: float
    articles: int
    failures: int
    cache_hits: int
    usage: TokenUsage
    metrics: list[str]
    aggregates: dict[str, float | None]
    thresholds: list[ThresholdResult]
    passed: bool
    per_article: list[ArticleResult]


def suite_settings(suite: Suite, overrides: dict[str, Any]) -> Settings:
    """Settings for a suite: suite file, then command-line overrides, then the environment."""
    values: dict[str, Any] = {
        "provider": suite.provider,
        "model": suite.model,
        "mode": suite.mode,
        "base_url": suite.base_url,
        "seeds_dir": suite.seeds,
        **suite.settings,
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return load_settings(**values)


def aggregate(results: list[ArticleResult], metrics: list[str]) -> dict[str, float | None]:
    """Mean of each metric over the articles where it applies."""
    means: dict[str, float | None] = {}
    for metric in metrics:
        values = [r.scores[metric] for r in results if r.scores.get(metric) is not None]
        means[metric] = round(sum(values) / len(values), 4) if values else None  # type: ignore[arg-type]
    return means


def check_thresholds(
    aggregates: dict[str, float | None], thresholds: dict[str, float]
) -> list[ThresholdResult]:
    checked = []
    for metric, threshold in thresholds.items():
        value = aggregates.get(metric)
        if value is None:
            passed = False
        elif metric in LOWER_IS_BETTER:
            passed = value <= threshold
        else:
            passed = value >= threshold
        checked.append(
            ThresholdResult(metric=metric, threshold=threshold, value=value, passed=passed)
        )
    return checked


class SuiteRunner:
    """Runs one suite with one provider configuration."""

    def __init__(self, suite: Suite, settings: Settings, *, use_cache: bool = True) -> None:
        self.suite = suite
        self.settings = settings
        self.summarizer = Summarizer(settings)
        self.cache = ResultCache(settings.resolved_cache_dir / "results") if use_cache else None

    def _seeds(self) -> list[Seed]:
        seeds = load_seeds(self.suite.seeds)
        if self.suite.articles is None:
            return seeds
        by_id = {s.id: s for s in seeds}
        missing = [a for a in self.suite.articles if a not in by_id]
        if missing:
            raise SummarizerError(f"suite {self.suite.name}: unknown articles {missing}")
        return [by_id[a] for a in self.suite.articles]

    def jobs(self) -> list[tuple[Seed, Language]]:
        """Every (article, output language) pair, once ("null" means the article's own)."""
        pairs: dict[tuple[str, Language], tuple[Seed, Language]] = {}
        for seed in self._seeds():
            for language in self.suite.output_languages:
                resolved: Language = language or seed.label.language
                pairs.setdefault((seed.id, resolved), (seed, resolved))
        return list(pairs.values())

    async def _predict(self, seed: Seed, result: ArticleResult) -> None:
        """Fill ``result``'s prediction (from the cache or the model) or its error."""
        try:
            request = ArticleRequest.create(
                seed.text, language=seed.label.language, output_language=result.output_language
            )
            key = summary_key(self.summarizer.backend, self.settings, request)
            cached = self.cache.get(key) if self.cache else None
            if cached is not None:
                result.prediction, result.cached = cached, True
                return
            result.prediction = await self.summarizer.asummarize_request(request)
        except SummarizerError as exc:
            result.error = f"{type(exc).__name__}: {exc}"
            return
        if self.cache is not None:
            self.cache.put(key, result.prediction)

    async def _one(self, seed: Seed, output_language: Language) -> ArticleResult:
        result = ArticleResult(id=seed.id, output_language=output_language)
        await self._predict(seed, result)
        all_scores = score_article(result.prediction, seed.label, seed.text, output_language)
        result.scores = {m: all_scores[m] for m in self.suite.metrics}
        return result

    async def run(self, on_result: Callable[[ArticleResult], None] | None = None) -> RunReport:
        started_at = datetime.now(UTC).isoformat(timespec="seconds")
        started = time.perf_counter()
        width = self.suite.concurrency if self.summarizer.backend.concurrent else 1
        gate = asyncio.Semaphore(width)

        async def guarded(seed: Seed, language: Language) -> ArticleResult:
            async with gate:
                result = await self._one(seed, language)
            if on_result is not None:
                on_result(result)
            return result

        try:
            # Metered, so that articles that failed after some replies count too.
            with metering() as meter:
                jobs = (guarded(s, lang) for s, lang in self.jobs())
                results = list(await asyncio.gather(*jobs))
        finally:
            if self.cache is not None:
                self.cache.close()
        aggregates = aggregate(results, self.suite.metrics)
        thresholds = check_thresholds(aggregates, self.suite.thresholds)
        backend = self.summarizer.backend
        return RunReport(
            suite=self.suite.name,
            provider=backend.name,
            model=backend.model,
            mode=backend.mode_name,
            prompt_version=prompt_version(),
            started_at=started_at,
            wall_s=round(time.perf_counter() - started, 2),
            articles=len(results),
            failures=sum(r.prediction is None for r in results),
            cache_hits=sum(r.cached for r in results),
            usage=meter.usage,
            metrics=self.suite.metrics,
            aggregates=aggregates,
            thresholds=thresholds,
            passed=all(t.passed for t in thresholds),
            per_article=results,
        )


def default_run_dir(suite: Suite, root: Path = Path("runs")) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return root / f"{suite.name}-{stamp}"
