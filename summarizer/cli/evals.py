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
)

app = typer.Typer(
    help="Score a model and prompt against hand-labeled gold articles.", no_args_is_help=True
)


@app.command("run")
def eval_run(
    suite_path: Annotated[Path, typer.Argument(help="Suite file (YAML).", metavar="SUITE")] = Path(
        "evals/default.yaml"
    ),
    seeds: Annotated[
        Path | None, typer.Option(help="Seed directory (overrides the suite).")
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
) -> None:
    """Run a suite; write predictions, scores and reports; exit 3 when a threshold is missed."""
    with clean_errors():
        from summarizer.evals.gold import load_seeds
        from summarizer.evals.report import report_markdown, write_run
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
        settings = suite_settings(suite, values)
        runner = SuiteRunner(suite, settings, use_cache=not no_cache)
        seed_list = load_seeds(suite.seeds)
        total = len(runner.jobs())
        done = 0

        def progress(result: Any) -> None:
            nonlocal done
            done += 1
            state = "error" if result.error else ("cached" if result.cached else "ok")
            typer.echo(
                f"[{done}/{total}] {result.id} ({result.output_language}): {state}", err=True
            )

        report = run_sync(runner.run(progress))
        run_dir = out or default_run_dir(suite)
        write_run(report, seed_list, run_dir)
        typer.echo(report_markdown(report, per_article=False))
        typer.echo(f"\nrun directory: {run_dir}")
        if not report.passed:
            missed = ", ".join(t.metric for t in report.thresholds if not t.passed)
            typer.echo(f"error: thresholds missed: {missed}", err=True)
            raise typer.Exit(EXIT_THRESHOLD_MISSED)


@app.command("compare")
def eval_compare(
    run_a: Annotated[Path, typer.Argument(help="Earlier run directory.")],
    run_b: Annotated[Path, typer.Argument(help="Later run directory.")],
) -> None:
    """Print per-metric and per-article deltas from RUN_A to RUN_B."""
    with clean_errors():
        from summarizer.evals.compare import compare, load_report

        typer.echo(compare(load_report(run_a), load_report(run_b)))
