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


class SchemaName(StrEnum):
    article_summary = "article-summary"
    event_record = "event-record"
    run_metadata = "run-metadata"


@contextmanager
def _clean_errors() -> Iterator[None]:
    """Turn the library's typed errors into one stderr line and the documented exit code."""
    from summarizer.errors import SummarizerError

    try:
        yield
    except SummarizerError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise typer.Exit(130) from None


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


def _settings(**given: Any) -> Any:
    from summarizer.settings import load_settings

    values = {k: (v.value if isinstance(v, StrEnum) else v) for k, v in given.items()}
    return load_settings(**values)


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
        int | None, typer.Option(help="Validation re-asks per call (default 2).")
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


@app.callback()
def _configure(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log retries and re-asks to stderr.")
    ] = False,
) -> None:
    import logging

    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR, format="summarizer: %(message)s"
    )
    # instructor logs every failed attempt at ERROR; our own messages say what matters.
    logging.getLogger("instructor").setLevel(logging.INFO if verbose else logging.CRITICAL)
    logging.getLogger("summarizer").setLevel(logging.INFO if verbose else logging.ERROR)


def main() -> None:
    """Console-script entry point."""
    app()
