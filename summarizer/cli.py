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

import click
import typer
from typer.core import TyperGroup

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
    batch_record = "batch-record"


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
    title: Annotated[
        str | None,
        typer.Option(help="Headline it was published under (default: a web page's own)."),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(help="Publication date, e.g. 2024-03-05 (default: a web page's own)."),
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
        from summarizer.inputs import read_input
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
        article = read_input(source)
        summarizer = Summarizer(settings)
        result = run_sync(
            summarizer.asummarize(
                article.text,
                output_language=output_language.value if output_language else None,
                language=language.value if language else None,
                title=title or article.title,  # a web page's come from its metadata
                date=date or article.date,
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


class _DefaultToRun(TyperGroup):
    """``summarizer batch INPUT ...`` means ``summarizer batch run INPUT ...``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


batch_app = typer.Typer(
    cls=_DefaultToRun,
    help="Summarize many articles: concurrent, rate-limited, resumable, cached, costed. "
    "`summarizer batch INPUT --out FILE` runs them; export/import go through the OpenAI "
    "Batch API.",
    no_args_is_help=True,
)
app.add_typer(batch_app, name="batch")

#: Exit code of ``batch run``/``batch import`` when some articles ended as error records.
EXIT_SOME_FAILED = 4

InputArg = Annotated[
    str,
    typer.Argument(
        help="A directory of .txt/.md/.html files, a JSONL file (id, text; optional title, "
        "date, language), or - for JSONL on stdin.",
        metavar="INPUT",
    ),
]
OutputLanguageArg = Annotated[
    Lang | None,
    typer.Option("--output-language", "-l", help="de or en; default: each article's own."),
]


@batch_app.command("run")
def batch_run(
    source: InputArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output JSONL (appended, resumable).")],
    output_language: OutputLanguageArg = None,
    concurrency: Annotated[
        int | None,
        typer.Option(help="Requests in flight (default 16 for an endpoint, 1 for local)."),
    ] = None,
    rpm: Annotated[float | None, typer.Option("--rpm", help="Requests-per-minute limit.")] = None,
    tpm: Annotated[float | None, typer.Option("--tpm", help="Tokens-per-minute limit.")] = None,
    price_in: Annotated[
        float | None, typer.Option("--price-in", help="USD per 1M prompt tokens (cost estimate).")
    ] = None,
    price_out: Annotated[
        float | None, typer.Option("--price-out", help="USD per 1M completion tokens.")
    ] = None,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Redo the articles recorded as errors.")
    ] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Ignore the result cache.")] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(help="Cache location (env SUMMARIZER_CACHE_DIR; default: user cache dir)."),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress bar (default: on a terminal)."),
    ] = None,
    provider: ProviderArg = None,
    model: ModelArg = None,
    base_url: BaseUrlArg = None,
    mode: ModeArg = None,
    model_path: ModelPathArg = None,
    max_reasks: Annotated[int | None, typer.Option(help="Validation re-asks per call.")] = None,
) -> None:
    """Summarize every article of INPUT into OUT, one JSON record per article.

    Rerunning the same command resumes: finished articles are skipped. Exit 0 when every
    article succeeded, 4 when some ended as error records, 1 when the endpoint refused the run.
    """
    with _clean_errors():
        from summarizer.batch.items import BatchSource
        from summarizer.batch.pricing import price_for
        from summarizer.batch.progress import Progress, summary_line
        from summarizer.batch.results import ResultsFile
        from summarizer.batch.runner import BatchRunner, BatchTotals
        from summarizer.pipeline import run_sync

        settings = _settings(
            provider=provider,
            model=model,
            base_url=base_url,
            mode=mode,
            local_model=model_path,
            max_reasks=max_reasks,
            concurrency=concurrency,
            requests_per_minute=rpm,
            tokens_per_minute=tpm,
            price_input_per_mtok=price_in,
            price_output_per_mtok=price_out,
            cache_dir=cache_dir,
        )
        items = BatchSource(source)
        totals = BatchTotals(total=items.count())
        runner = BatchRunner(
            settings,
            output_language=output_language.value if output_language else None,
            use_cache=not no_cache,
        )
        bar = Progress(totals, enabled=progress)
        try:
            with ResultsFile(out) as results:
                if retry_failed:
                    results.drop_failed()
                run_sync(runner.run(items, results, totals, bar))
        finally:
            bar.close()
            runner.close()
            typer.echo(summary_line(totals, price_for(settings)), err=True)
        if totals.failed:
            raise typer.Exit(EXIT_SOME_FAILED)


@batch_app.command("export")
def batch_export(
    source: InputArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Batch API request file (JSONL).")],
    output_language: OutputLanguageArg = None,
    model: ModelArg = None,
    mode: ModeArg = None,
) -> None:
    """Write OpenAI Batch API requests (two per article) with this tool's prompts and schema.

    Past 50,000 requests or 190 MB (the Batch API's file limits) the requests continue in
    OUT-002.jsonl, OUT-003.jsonl, ... and OUT becomes OUT-001.jsonl: one batch per file.
    Upload the file with the OpenAI Files API (purpose "batch") and create a batch for
    /v1/chat/completions; feed its output file to `summarizer batch import`.
    """
    with _clean_errors():
        from summarizer.batch.items import BatchSource
        from summarizer.batch.openai_batch import export_requests

        settings = _settings(provider="openai", model=model, mode=mode, base_url=None)

        def skipped(item_id: str, error: Exception) -> None:
            typer.echo(f"skipped {item_id}: {error}", err=True)

        totals = export_requests(
            BatchSource(source),
            settings,
            out,
            output_language.value if output_language else None,
            skipped,
        )
        files = ", ".join(str(f) for f in totals.files)
        typer.echo(
            f"export: {totals.requests} requests for {totals.articles} articles written to "
            f"{files}; {totals.skipped} skipped",
            err=True,
        )


@batch_app.command("import")
def batch_import(
    source: InputArg,
    results_files: Annotated[
        list[Path],
        typer.Argument(help="The Batch API output file(s).", metavar="RESULTS..."),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output JSONL (batch records).")],
    output_language: OutputLanguageArg = None,
    model: ModelArg = None,
    mode: ModeArg = None,
) -> None:
    """Validate and ground Batch API results into batch records (same INPUT and options as
    the export). Exit 4 when some articles ended as error records."""
    with _clean_errors():
        from summarizer.batch.items import BatchSource
        from summarizer.batch.openai_batch import ResultLines, import_record
        from summarizer.batch.results import ResultsFile
        from summarizer.pipeline import run_sync

        settings = _settings(provider="openai", model=model, mode=mode, base_url=None)
        language = output_language.value if output_language else None
        ok = failed = 0
        with ResultLines(results_files) as replies, ResultsFile(out) as results:
            results.drop_failed()  # a re-import tries them again
            done = results.statuses()
            for item in BatchSource(source):
                if done.get(item.id) == "ok":
                    continue
                record = run_sync(import_record(item, replies, settings, language))
                results.append(record)
                ok, failed = ok + (record.status == "ok"), failed + (record.status == "error")
        typer.echo(f"import: {ok} ok, {failed} failed, written to {out}", err=True)
        if failed:
            raise typer.Exit(EXIT_SOME_FAILED)


@app.callback()
def _configure(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log retries and re-asks to stderr.")
    ] = False,
) -> None:
    import logging

    global _VERBOSE
    _VERBOSE = verbose
    from summarizer.redact import RedactingFilter

    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR, format="summarizer: %(message)s"
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())
    # instructor logs every failed attempt at ERROR; our own messages say what matters.
    logging.getLogger("instructor").setLevel(logging.INFO if verbose else logging.CRITICAL)
    logging.getLogger("summarizer").setLevel(logging.INFO if verbose else logging.ERROR)


def main() -> None:
    """Console-script entry point."""
    app()
