"""From predictions to a report: score each article (optionally with the LLM judge), diagnose
what went wrong, aggregate with confidence intervals, check thresholds.

Shared by ``eval run`` (predictions from a model) and ``eval score`` (saved predictions).
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, Field

from summarizer.datamodel.schemas import ArticleSummary, TokenUsage
from summarizer.datamodel.types import Language
from summarizer.evals.diagnosis import Diagnosis, diagnose
from summarizer.evals.gold import Seed
from summarizer.evals.judge import ClaimVerdict, Judge, faithfulness
from summarizer.evals.metrics import DESCRIPTIVE, LOWER_IS_BETTER, Scores, score_article
from summarizer.evals.stats import mean_interval


class ArticleResult(BaseModel):
    id: str
    output_language: Language
    prediction: ArticleSummary | None = None
    error: str | None = None
    cached: bool = False
    scores: Scores = Field(default_factory=dict)
    problems: Diagnosis = Field(default_factory=Diagnosis)
    judgement: list[ClaimVerdict] | None = Field(
        default=None, description="The LLM judge's verdict per claim, when a judge ran."
    )

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
    empty: int = Field(
        default=0, description="Predictions without headline and summary (scored as worst)."
    )
    cache_hits: int
    usage: TokenUsage
    metrics: list[str]
    aggregates: dict[str, float | None]
    intervals: dict[str, tuple[float, float] | None] = Field(
        default_factory=dict,
        description="95 % bootstrap confidence interval of each mean, over articles.",
    )
    judge: str | None = Field(default=None, description="The judge model, when one ran.")
    judge_quality: dict[str, float] | None = Field(
        default=None,
        description="The judge on its own check (judge-check claims of the run's seeds): share "
        "of true claims accepted and of false claims caught.",
    )
    judge_reliable: bool | None = Field(
        default=None,
        description="Both shares at least 0.8; an unreliable judge's faithfulness gates nothing.",
    )
    thresholds: list[ThresholdResult]
    passed: bool
    per_article: list[ArticleResult]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def values_of(results: list[ArticleResult], metric: str) -> list[float]:
    return [r.scores[metric] for r in results if r.scores.get(metric) is not None]  # type: ignore[misc]


def aggregate(results: list[ArticleResult], metrics: list[str]) -> dict[str, float | None]:
    """Mean of each metric over the articles where it applies."""
    means: dict[str, float | None] = {}
    for metric in metrics:
        values = values_of(results, metric)
        means[metric] = round(sum(values) / len(values), 4) if values else None
    return means


def check_thresholds(
    aggregates: dict[str, float | None],
    thresholds: dict[str, float],
    *,
    judge_reliable: bool | None = None,
) -> list[ThresholdResult]:
    checked = []
    for metric, threshold in thresholds.items():
        if metric == "faithfulness" and judge_reliable is False:
            continue  # an unreliable judge gates nothing (the report says so)
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


async def score_result(
    result: ArticleResult, seed: Seed, metrics: list[str], judge: Judge | None = None
) -> None:
    """Fill ``result``'s scores, problems and (with a judge) verdicts, in place."""
    faithful = None
    if judge is not None and result.prediction is not None:
        result.judgement = await judge.judge(seed.text, seed.label.language, result.prediction)
        faithful = faithfulness(result.judgement)
    scores = score_article(
        result.prediction, seed.label, seed.text, result.output_language, faithful
    )
    result.scores = {m: scores[m] for m in metrics}
    result.problems = diagnose(result.prediction, seed.label, seed.text, result.output_language)
    if result.judgement:
        result.problems.unsupported_claims = [
            f"{v.claim} ({v.reason})" for v in result.judgement if not v.supported
        ]


def build_report(
    results: list[ArticleResult],
    metrics: list[str],
    thresholds: dict[str, float],
    **about: object,
) -> RunReport:
    """The report of scored ``results``; ``about``: suite, provider, model, mode, prompt version,
    timing and usage."""
    aggregates = aggregate(results, metrics)
    reliable = about.get("judge_reliable")
    checked = check_thresholds(aggregates, thresholds, judge_reliable=reliable)  # type: ignore[arg-type]
    return RunReport(
        **about,  # type: ignore[arg-type]
        articles=len(results),
        failures=sum(r.prediction is None for r in results),
        empty=sum(
            r.prediction is not None
            and not (r.prediction.headline.strip() or r.prediction.summary.strip())
            for r in results
        ),
        cache_hits=sum(r.cached for r in results),
        metrics=metrics,
        aggregates=aggregates,
        intervals={
            m: mean_interval(values_of(results, m)) for m in metrics if m not in DESCRIPTIVE
        },
        thresholds=checked,
        passed=all(t.passed for t in checked),
        per_article=results,
    )
