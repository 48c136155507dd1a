"""``summarizer batch``: many articles, concurrent, rate-limited, resumable, cached, costed;
export to and import from the OpenAI Batch API."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import click
import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from summarizer.batch.runner import BatchRunner
    from summarizer.datamodel.settings import Settings
    from summarizer.datamodel.types import Language

from summarizer.cli.common import (
    EXIT_SOME_FAILED,
    BaseUrlArg,
    ModeArg,
    ModelArg,
    ModelPathArg,
    OutputLanguageArg,
    ProviderArg,
    clean_errors,
    settings_from,
)


class _DefaultToRun(TyperGroup):
    """``summarizer batch INPUT ...`` means ``summarizer batch run INPUT ...``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_DefaultToRun,
    help="Summarize many articles: concurrent, rate-limited, resumable, cached, costed. "
    "`summarizer batch INPUT --out FILE` runs them; export/import go through the OpenAI "
    "Batch API.",
    no_args_is_help=True,
)

InputArg = Annotated[
    str,
    typer.Argument(
        help="A directory of .txt/.md/.html files, a JSONL file (id, text; optional title, "
        "date, language), or - for JSONL on stdin.",
        metavar="INPUT",
    ),
]


@app.command("run")
def batch_run(
    source: InputArg,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Output JSONL (appended, resumable; a missing folder is created).",
        ),
    ],
    output_language: OutputLanguageArg = None,
    concurrency: Annotated[
        int | None,
        typer.Option(help="Requests in flight (default 16 for an endpoint, 1 for local)."),
    ] = None,
    rpm: Annotated[
        float | None, typer.Option("--rpm", help="Requests-per-minute limit. Default: none.")
    ] = None,
    tpm: Annotated[
        float | None, typer.Option("--tpm", help="Tokens-per-minute limit. Default: none.")
    ] = None,
    price_in: Annotated[
        float | None,
        typer.Option(
            "--price-in",
            help="USD per 1M prompt tokens (cost estimate). Default: the model's known "
            "price, if any.",
        ),
    ] = None,
    price_out: Annotated[
        float | None,
        typer.Option(
            "--price-out",
            help="USD per 1M completion tokens. Default: the model's known price, if any.",
        ),
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
    max_reasks: Annotated[
        int | None, typer.Option(help="Validation re-asks per call. Default: 2; 1 for local.")
    ] = None,
    ray: Annotated[
        str | None,
        typer.Option(
            "--ray",
            help="Run the articles on a Ray cluster: local (start one on this machine), auto "
            "(join the one `ray start` runs here) or the head's address; one worker per node "
            "(the in-process model with all its cores), results written here. Needs "
            "pip install 'summarizer[ray]'.",
            metavar="local|auto|ADDRESS",
        ),
    ] = None,
) -> None:
    """Summarize every article of INPUT into OUT, one JSON record per article.

    Rerunning the same command resumes: finished articles are skipped. Exit 0 when every
    article of OUT succeeded, 4 while OUT holds error records (this run's or an earlier one's:
    --retry-failed redoes them), 1 when the endpoint refused the run.
    """
    with clean_errors():
        from summarizer.batch.items import BatchSource
        from summarizer.batch.pricing import price_for
        from summarizer.batch.progress import BatchProgressBar, summary_line
        from summarizer.batch.results import ResultsFile
        from summarizer.batch.runner import BatchTotals
        from summarizer.pipeline import run_sync

        settings = settings_from(
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
        runner = _runner(settings, ray, output_language=output_language, use_cache=not no_cache)
        bar = BatchProgressBar(totals, enabled=progress)
        try:
            with ResultsFile(out) as results:
                if retry_failed:
                    results.drop_failed()
                run_sync(runner.run(items, results, totals, bar))
                errors = sum(status == "error" for status in results.statuses().values())
        finally:
            bar.close()
            runner.close()
            if ray is not None:
                from summarizer.batch.ray_cluster import disconnect

                disconnect()
            typer.echo(summary_line(totals, price_for(settings)), err=True)
        if errors:
            typer.echo(
                f"{errors} article(s) in {out} are error records; fix what their 'error' "
                "says and rerun with --retry-failed to redo them",
                err=True,
            )
            raise typer.Exit(EXIT_SOME_FAILED)


def _runner(
    settings: Settings, ray: str | None, *, output_language: Language | None, use_cache: bool
) -> BatchRunner:
    """A local batch runner, or (``--ray``) one whose articles run on a Ray cluster."""
    from summarizer.batch.runner import BatchRunner

    if ray is None:
        return BatchRunner(settings, output_language=output_language, use_cache=use_cache)
    from summarizer.batch.ray_cluster import RayBatchRunner, connect

    connect(ray)
    return RayBatchRunner(settings, output_language=output_language, use_cache=use_cache)


@app.command("export")
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
    with clean_errors():
        from summarizer.batch.items import BatchSource
        from summarizer.batch.openai_batch import export_requests

        settings = settings_from(provider="openai", model=model, mode=mode, base_url=None)

        def skipped(item_id: str, error: Exception) -> None:
            typer.echo(f"skipped {item_id}: {error}", err=True)

        totals = export_requests(
            BatchSource(source),
            settings,
            out,
            output_language,
            skipped,
        )
        files = ", ".join(str(f) for f in totals.files)
        typer.echo(
            f"export: {totals.requests} requests for {totals.articles} articles written to "
            f"{files}; {totals.skipped} skipped",
            err=True,
        )


@app.command("import")
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
    with clean_errors():
        from summarizer.batch.items import BatchSource
        from summarizer.batch.openai_batch import import_results
        from summarizer.pipeline import run_sync

        settings = settings_from(provider="openai", model=model, mode=mode, base_url=None)
        totals = run_sync(
            import_results(BatchSource(source), results_files, out, settings, output_language)
        )
        typer.echo(f"import: {totals.ok} ok, {totals.failed} failed, written to {out}", err=True)
        if totals.failed:
            raise typer.Exit(EXIT_SOME_FAILED)
