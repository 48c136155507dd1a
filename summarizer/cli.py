"""The ``summarizer`` command line (typer).

Exit codes: 0 success; 1 the model or endpoint failed after retries; 2 bad usage or bad input;
130 interrupted. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(
    help="Structured, source-grounded summaries and event records of German and English news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class OutputFormat(StrEnum):
    json = "json"
    markdown = "markdown"


class Lang(StrEnum):
    de = "de"
    en = "en"


class ModeOption(StrEnum):
    tools = "tools"
    json_schema = "json_schema"
    json = "json"
    md_json = "md_json"


class ProviderOption(StrEnum):
    openai = "openai"
    local = "local"
    oracle = "oracle"
    lead = "lead"


class SchemaName(StrEnum):
    article_summary = "article-summary"
    event_record = "event-record"
    run_metadata = "run-metadata"


_VERBOSE = False


@contextmanager
def _clean_errors() -> Iterator[None]:
    """Turn errors into one stderr line and the documented exit code (traceback only with -v)."""
    from summarizer.errors import SummarizerError

    try:
        yield
    except SummarizerError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:
        if _VERBOSE:
            raise
        typer.echo(
            f"error: internal error ({type(exc).__name__}: {exc}); rerun with -v for the traceback",
            err=True,
        )
        raise typer.Exit(1) from None


ProviderArg = Annotated[
    ProviderOption | None,
    typer.Option(
        help="openai (any OpenAI-compatible endpoint) or local. Default: openai when "
        "OPENAI_API_KEY or a base URL is set, else local."
    ),
]
ModelArg = Annotated[str | None, typer.Option(help="Model name (env SUMMARIZER_MODEL).")]
BaseUrlArg = Annotated[
    str | None, typer.Option(help="OpenAI-compatible base URL (env OPENAI_BASE_URL).")
]
ModeArg = Annotated[ModeOption | None, typer.Option(help="instructor structured-output mode.")]
ModelPathArg = Annotated[
    Path | None,
    typer.Option(
        "--model-path", help="GGUF file for the local provider (env SUMMARIZER_LOCAL_MODEL)."
    ),
]


def _plain(**given: Any) -> dict[str, Any]:
    """Option values as settings values (enum options become their strings)."""
    return {k: (v.value if isinstance(v, StrEnum) else v) for k, v in given.items()}


def _settings(**given: Any) -> Any:
    from summarizer.settings import load_settings

    return load_settings(**_plain(**given))


@app.command()
def summarize(
    source: Annotated[str, typer.Argument(help="Article file (UTF-8 text), or - for stdin.")],
    output_language: Annotated[
        Lang | None,
        typer.Option("--output-language", "-l", help="de or en; default: the article's."),
    ] = None,
    language: Annotated[
        Lang | None, typer.Option(help="The article's language (skips detection).")
    ] = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="json or markdown; default: markdown on a terminal, json in a pipe.",
        ),
    ] = None,
    provider: ProviderArg = None,
    model: ModelArg = None,
    base_url: BaseUrlArg = None,
    mode: ModeArg = None,
    model_path: ModelPathArg = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail instead of dropping ungrounded content.")
    ] = False,
    max_reasks: Annotated[
        int | None, typer.Option(help="Validation re-asks per call (default 2; 1 for local).")
    ] = None,
) -> None:
    """Summarize one article into a grounded summary with events."""
    with _clean_errors():
        from summarizer.inputs import read_article
        from summarizer.pipeline import Summarizer, run_sync

        settings = _settings(
            provider=provider,
            model=model,
            base_url=base_url,
            mode=mode,
            local_model=model_path,
            strict=strict or None,
            max_reasks=max_reasks,
        )
        text = read_article(source)
        summarizer = Summarizer(settings)
        result = run_sync(
            summarizer.asummarize(
                text,
                output_language=output_language.value if output_language else None,
                language=language.value if language else None,
            )
        )
        fmt = output_format or (OutputFormat.markdown if sys.stdout.isatty() else OutputFormat.json)
        if fmt is OutputFormat.json:
            typer.echo(result.model_dump_json(indent=2))
        else:
            from summarizer.render import to_markdown

            typer.echo(to_markdown(result))


@app.command()
def schema(
    name: Annotated[
        SchemaName, typer.Argument(help="Which model's JSON Schema to print.")
    ] = SchemaName.article_summary,
) -> None:
    """Print the JSON Schema of the output (ArticleSummary by default)."""
    from summarizer.schemas import SCHEMAS

    typer.echo(json.dumps(SCHEMAS[name.value].model_json_schema(), indent=2, ensure_ascii=False))


eval_app = typer.Typer(
    help="Score a model and prompt against hand-labeled gold articles.", no_args_is_help=True
)
seeds_app = typer.Typer(help="Work with hand-labeled seed articles.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(seeds_app, name="seeds")

#: Exit code of ``eval run`` when a suite threshold is missed.
EXIT_THRESHOLD_MISSED = 3


@eval_app.command("run")
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
    with _clean_errors():
        from summarizer.evals.gold import load_seeds
        from summarizer.evals.report import to_markdown, write_run
        from summarizer.evals.runner import SuiteRunner, default_run_dir, suite_settings
        from summarizer.evals.suite import load_suite
        from summarizer.pipeline import run_sync

        suite = load_suite(suite_path)
        if seeds is not None:
            suite = suite.model_copy(update={"seeds": seeds.resolve(), "articles": None})
        values = _plain(
            provider=provider, model=model, base_url=base_url, mode=mode, local_model=model_path
        )
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
        typer.echo(to_markdown(report).split("## Per article")[0].rstrip())
        typer.echo(f"\nrun directory: {run_dir}")
        if not report.passed:
            missed = ", ".join(t.metric for t in report.thresholds if not t.passed)
            typer.echo(f"error: thresholds missed: {missed}", err=True)
            raise typer.Exit(EXIT_THRESHOLD_MISSED)


@eval_app.command("compare")
def eval_compare(
    run_a: Annotated[Path, typer.Argument(help="Earlier run directory.")],
    run_b: Annotated[Path, typer.Argument(help="Later run directory.")],
) -> None:
    """Print per-metric and per-article deltas from RUN_A to RUN_B."""
    with _clean_errors():
        from summarizer.evals.compare import compare, load_report

        typer.echo(compare(load_report(run_a), load_report(run_b)))


@seeds_app.command("check")
def seeds_check(
    directory: Annotated[Path, typer.Argument(help="Seed directory.")] = Path("seeds"),
) -> None:
    """Verify every gold label against its article; exit 1 when one is broken."""
    from summarizer.evals.gold import SeedError, check_label, load_seeds

    try:
        seeds = load_seeds(directory)
    except (SeedError, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    problems = [p for seed in seeds for p in check_label(seed)]
    for problem in problems:
        typer.echo(problem)
    typer.echo(f"{len(seeds)} seeds, {len(problems)} problems", err=bool(problems))
    if problems:
        raise typer.Exit(1)


@app.callback()
def _configure(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log retries and re-asks to stderr.")
    ] = False,
) -> None:
    import logging

    global _VERBOSE
    _VERBOSE = verbose
    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR, format="summarizer: %(message)s"
    )
    # instructor logs every failed attempt at ERROR; our own messages say what matters.
    logging.getLogger("instructor").setLevel(logging.INFO if verbose else logging.CRITICAL)
    logging.getLogger("summarizer").setLevel(logging.INFO if verbose else logging.ERROR)


def main() -> None:
    """Console-script entry point."""
    app()
