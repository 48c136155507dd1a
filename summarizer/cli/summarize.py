"""``summarizer summarize`` (one article) and ``summarizer schema``."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from summarizer.cli.common import (
    BaseUrlArg,
    ModeArg,
    ModelArg,
    ModelPathArg,
    OutputLanguageArg,
    ProviderArg,
    Verbosity,
    clean_errors,
    settings_from,
)
from summarizer.datamodel.types import Language


class OutputFormat(StrEnum):
    json = "json"
    markdown = "markdown"


class SchemaName(StrEnum):
    article_summary = "article-summary"
    event_record = "event-record"
    run_metadata = "run-metadata"
    batch_record = "batch-record"


def summarize(
    source: Annotated[
        str,
        typer.Argument(
            help="Article file (text, Markdown or a saved web page; .gz is unpacked), or - for "
            "stdin.",
            metavar="SOURCE",
        ),
    ],
    output_language: OutputLanguageArg = None,
    language: Annotated[
        Language | None,
        typer.Option(help="The article's language (skips detection). Default: detected."),
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
    with clean_errors():
        from summarizer.inputs import article_request, read_input
        from summarizer.pipeline import Summarizer, run_sync

        settings = settings_from(
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
        request = article_request(
            article.text,
            language=language,
            output_language=output_language,
            title=title or article.title,  # a web page's come from its metadata
            date=date or article.date,
        )
        from summarizer.cli.progress import TerminalProgress, Waiting

        progress: TerminalProgress | Waiting | None = None
        if sys.stderr.isatty() and hasattr(summarizer.backend, "progress"):
            progress = summarizer.backend.progress = TerminalProgress()
        elif sys.stderr.isatty() and settings.resolved_provider == "openai":
            where = settings.base_url or "the OpenAI API"
            progress = Waiting(f"summarizing with {summarizer.backend.model} at {where}")
        try:
            result = run_sync(summarizer.asummarize(request))
        finally:
            if progress is not None:
                progress.close()
        fmt = output_format or (OutputFormat.markdown if sys.stdout.isatty() else OutputFormat.json)
        if fmt is OutputFormat.json:
            typer.echo(result.model_dump_json(indent=2))
        else:
            from summarizer.render import summary_markdown

            typer.echo(summary_markdown(result, offsets=Verbosity.verbose))


def schema(
    name: Annotated[
        SchemaName, typer.Argument(help="Which model's JSON Schema to print.", metavar="NAME")
    ] = SchemaName.article_summary,
) -> None:
    """Print the JSON Schema of the output (ArticleSummary by default)."""
    from summarizer.datamodel.schemas import SCHEMAS

    output_schema = SCHEMAS[name.value].model_json_schema(mode="serialization")
    typer.echo(json.dumps(output_schema, indent=2, ensure_ascii=False))
