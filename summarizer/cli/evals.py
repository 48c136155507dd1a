"""``summarizer eval``: score a model and prompt against hand-labeled gold articles."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from summarizer.cli.common import (
    EXIT_THRESHOLD_MISSED,
    BaseUrlArg,
    ModeArg,
    ModelArg,
    ModelPathArg,
    ProviderArg,
    clean_errors,
    settings_from,
)

app = typer.Typer(
    help="Score a model and prompt against hand-labeled gold articles.", no_args_is_help=True
)

JudgeProviderArg = Annotated[
    str | None,
    typer.Option(
        "--judge-provider",
        help="LLM judge of faithfulness: openai (with --judge-base-url/--judge-model) or local "
        "(the embedded model). Off unless a judge option is given.",
    ),
]
JudgeBaseUrlArg = Annotated[
    str | None,
    typer.Option("--judge-base-url", help="Judge's OpenAI-compatible base URL. Default: none."),
]
JudgeModelArg = Annotated[
    str | None,
    typer.Option("--judge-model", help="Judge's model name. Default: the judge provider's."),
]
SuiteArg = Annotated[Path, typer.Argument(help="Suite file (YAML).", metavar="SUITE")]


def judge_settings(provider: str | None, base_url: str | None, model: str | None) -> Any:
    """Settings of the LLM judge, or None when no judge option was given."""
    if provider is None and base_url is None and model is None:
        return None
    return settings_from(provider=provider, base_url=base_url, model=model)


def _report(report: Any, seeds: list[Any], run_dir: Path) -> None:
    from summarizer.evals.report import report_markdown, write_run

    write_run(report, seeds, run_dir)
    typer.echo(report_markdown(report, per_article=False))
    typer.echo(f"\nrun directory: {run_dir}")
    if not report.passed:
        missed = ", ".join(t.metric for t in report.thresholds if not t.passed)
        typer.echo(f"error: thresholds missed: {missed}", err=True)
        raise typer.Exit(EXIT_THRESHOLD_MISSED)


def _progress(total: int) -> Any:
    done = 0

    def progress(result: Any) -> None:
        nonlocal done
        done += 1
        state = "error" if result.error else ("cached" if result.cached else "ok")
        typer.echo(f"[{done}/{total}] {result.id} ({result.output_language}): {state}", err=True)

    return progress


@app.command("run")
def eval_run(
    suite_path: SuiteArg = Path("evals/default.yaml"),
    seeds: Annotated[
        Path | None,
        typer.Option(help="Seed directory (overrides the suite). Default: the suite's."),
    ] = None,
    provider: ProviderArg = None,
    model: ModelArg = None,
    base_url: BaseUrlArg = None,
    mode: ModeArg = None,
    model_path: ModelPathArg = None,
    out: Annotated[
        Path | None, typer.Option(help="Run directory (default runs/NAME-TIME).")
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Ignore cached results.")] = False,
    judge_provider: JudgeProviderArg = None,
    judge_base_url: JudgeBaseUrlArg = None,
    judge_model: JudgeModelArg = None,
) -> None:
    """Run a suite; write predictions, scores and reports; exit 3 when a threshold is missed."""
    with clean_errors():
        from summarizer.evals.runner import SuiteRunner, default_run_dir, suite_settings
        from summarizer.evals.suite import load_suite
        from summarizer.pipeline import run_sync

        suite = load_suite(suite_path)
        if seeds is not None:
            suite = suite.model_copy(update={"seeds": seeds.resolve(), "articles": None})
        values = {
            "provider": provider,
            "model": model,
            "base_url": base_url,
            "mode": mode,
            "local_model": model_path,
        }
        runner = SuiteRunner(
            suite,
            suite_settings(suite, values),
            use_cache=not no_cache,
            judge_settings=judge_settings(judge_provider, judge_base_url, judge_model),
        )
        jobs = runner.jobs()
        report = run_sync(runner.run(_progress(len(jobs))))
        _report(report, [seed for seed, _ in jobs], out or default_run_dir(suite.name))


@app.command("score")
def eval_score(
    predictions: Annotated[
        Path,
        typer.Argument(
            help="A directory of ID.json / ID.LANG.json (ArticleSummary JSON, as summarize "
            "--format json prints it), or a batch results JSONL file.",
            metavar="PREDICTIONS",
        ),
    ],
    seeds: Annotated[Path, typer.Option(help="Seed directory with the gold labels.")] = Path(
        "seeds"
    ),
    suite_path: Annotated[
        Path | None,
        typer.Option(
            "--suite",
            help="Suite file whose metrics and thresholds apply. Default: every metric, no "
            "thresholds.",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Run directory (default runs/score-NAME-TIME).")
    ] = None,
    judge_provider: JudgeProviderArg = None,
    judge_base_url: JudgeBaseUrlArg = None,
    judge_model: JudgeModelArg = None,
) -> None:
    """Score saved predictions without a model, with the same reports as `eval run`."""
    with clean_errors():
        import time

        from summarizer.cache import ResultCache
        from summarizer.datamodel.schemas import TokenUsage
        from summarizer.evals.gold import load_seeds
        from summarizer.evals.judge import Judge, judge_quality
        from summarizer.evals.metrics import METRICS
        from summarizer.evals.predictions import load_predictions
        from summarizer.evals.runner import default_run_dir
        from summarizer.evals.scoring import build_report, now, score_result
        from summarizer.evals.suite import load_suite
        from summarizer.pipeline import run_sync

        suite = load_suite(suite_path) if suite_path else None
        metrics = suite.metrics if suite else list(METRICS)
        seed_list = load_seeds(seeds)
        results = load_predictions(predictions, seed_list)
        by_id = {seed.id: seed for seed in seed_list}
        settings = judge_settings(judge_provider, judge_base_url, judge_model)
        cache = ResultCache(settings.resolved_cache_dir / "results") if settings else None
        judge = Judge(settings, cache) if settings else None
        started_at, started = now(), time.perf_counter()
        progress = _progress(len(results))

        async def score_all() -> tuple[dict[str, float] | None, bool | None]:
            for result in results:
                await score_result(result, by_id[result.id], metrics, judge)
                progress(result)
            if judge is None:
                return None, None
            checked = {r.id: by_id[r.id] for r in results if r.prediction is not None}
            return await judge_quality(judge, list(checked.values()))

        try:
            quality, reliable = run_sync(score_all())
        finally:
            if cache is not None:
                cache.close()
        name = f"score-{predictions.stem or predictions.name}"
        report = build_report(
            results,
            metrics,
            suite.thresholds if suite else {},
            suite=suite.name if suite else name,
            provider="predictions",
            model=str(predictions),
            mode="none",
            prompt_version="none",
            started_at=started_at,
            wall_s=round(time.perf_counter() - started, 2),
            usage=TokenUsage(),
            judge=judge.model if judge else None,
            judge_quality=quality,
            judge_reliable=reliable,
        )
        _report(report, seed_list, out or default_run_dir(name))


@app.command("compare")
def eval_compare(
    run_a: Annotated[Path, typer.Argument(help="Earlier run directory.", metavar="RUN_A")],
    run_b: Annotated[Path, typer.Argument(help="Later run directory.", metavar="RUN_B")],
    fail_on_regression: Annotated[
        bool,
        typer.Option(
            "--fail-on-regression",
            help="Exit 3 when a metric got significantly worse (its whole 95 % interval below "
            "zero).",
        ),
    ] = False,
) -> None:
    """Paired differences from RUN_A to RUN_B with 95 % bootstrap intervals, and the articles
    that got worse."""
    with clean_errors():
        from summarizer.evals.compare import compare, load_report

        comparison = compare(load_report(run_a), load_report(run_b))
        typer.echo(comparison.text)
        if fail_on_regression and comparison.regressions:
            typer.echo(
                f"error: significant regressions: {', '.join(comparison.regressions)}", err=True
            )
            raise typer.Exit(EXIT_THRESHOLD_MISSED)


@app.command("judge-check")
def eval_judge_check(
    seeds: Annotated[Path, typer.Option(help="Seed directory with the gold labels.")] = Path(
        "seeds"
    ),
    judge_provider: JudgeProviderArg = None,
    judge_base_url: JudgeBaseUrlArg = None,
    judge_model: JudgeModelArg = None,
) -> None:
    """Validate an LLM judge: it should find the gold reference sentences supported and the
    same sentences with a number, name or polarity changed unsupported."""
    with clean_errors():
        from summarizer.datamodel.errors import ConfigurationError
        from summarizer.evals.gold import load_seeds
        from summarizer.evals.judge import Judge, judge_agreement
        from summarizer.pipeline import run_sync

        settings = judge_settings(judge_provider, judge_base_url, judge_model)
        if settings is None:
            raise ConfigurationError(
                "name the judge: --judge-provider, --judge-base-url or --judge-model"
            )
        agreement = run_sync(judge_agreement(Judge(settings), load_seeds(seeds)))
        typer.echo(agreement.summary())


@app.command("stories")
def eval_stories(
    provider: ProviderArg = None,
    model: ModelArg = None,
    base_url: BaseUrlArg = None,
    mode: ModeArg = None,
    model_path: ModelPathArg = None,
    oracle: Annotated[
        bool, typer.Option("--oracle", help="Score the gold events themselves (no model).")
    ] = False,
    predictions: Annotated[
        Path | None,
        typer.Option(
            help="Score a batch results file of evals/stories/feed.jsonl instead. Default: "
            "run the model."
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Also write the report (JSON) here. Default: not written.")
    ] = None,
) -> None:
    """Events across articles: summarize the story seeds (evals/stories/), consolidate their
    events, and score the clusters (B-cubed), casualty claims and places on the map."""
    with clean_errors():
        import json

        from summarizer.evals.stories import (
            events_from_results,
            load_stories,
            predicted_events,
            score,
        )

        articles = load_stories()
        if predictions is not None:
            events = events_from_results(predictions)
        else:
            settings = None
            if not oracle:
                settings = settings_from(
                    provider=provider,
                    model=model,
                    base_url=base_url,
                    mode=mode,
                    local_model=model_path,
                )
            events = predicted_events(articles, settings)
        report = score(articles, events)
        for key in ("bcubed_precision", "bcubed_recall", "bcubed_f1", "claim_range_accuracy",
                    "claimant_accuracy", "geo_country_accuracy", "geo_point_accuracy"):  # fmt: skip
            typer.echo(f"{key:<22} {report[key]}")
        typer.echo(f"{report['gold_events']} gold events -> {report['clusters_predicted']} events")
        if out is not None:
            from summarizer.datamodel.files import write_private

            write_private(out, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
