"""The ``summarizer`` command line (typer): one module per command group.

Exit codes: 0 success; 1 the model or endpoint failed after retries; 2 bad usage, bad input or
a request the endpoint rejects (mode, schema, context);
3 an eval threshold was missed; 4 some batch articles ended as error records; 5 no events to
consolidate or export; 130 interrupted.
Errors are one line on stderr, never a traceback; ``-v`` may come before or after the
subcommand; ``--install-completion`` adds shell completion. Heavy libraries are imported inside the
commands, so ``summarizer --help`` starts fast.
"""

from __future__ import annotations

from typing import Annotated

import click
import typer
from typer.core import TyperGroup

from summarizer.cli import batch, evals, events, seeds
from summarizer.cli.common import EXIT_SOME_FAILED, EXIT_THRESHOLD_MISSED, Verbosity
from summarizer.cli.probe import probe
from summarizer.cli.summarize import schema, summarize

VERBOSE_FLAGS = ("-v", "--verbose")


class VerboseAnywhere(TyperGroup):
    """The top-level group: ``-v``/``--verbose`` is accepted after the subcommand too
    (``summarizer summarize a.txt -v``), moved in front before parsing (up to a ``--``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        end = args.index("--") if "--" in args else len(args)
        flags = [a for a in args[:end] if a in VERBOSE_FLAGS]
        rest = [a for a in args[:end] if a not in VERBOSE_FLAGS]
        return super().parse_args(ctx, [*flags[:1], *rest, *args[end:]])


def _print_version(value: bool) -> None:
    if value:
        from summarizer import __version__

        typer.echo(f"summarizer {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=VerboseAnywhere,
    help="Structured, source-grounded summaries and event records of German and English news.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.command()(summarize)
app.command()(schema)
app.command()(probe)
app.add_typer(evals.app, name="eval")
app.add_typer(seeds.app, name="seeds")
app.add_typer(batch.app, name="batch")
app.add_typer(events.app, name="events")


@app.callback()
def _configure(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log retries and re-asks to stderr.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    import logging

    Verbosity.verbose = verbose
    from summarizer.datamodel.redact import RedactingFilter

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


__all__ = ["EXIT_SOME_FAILED", "EXIT_THRESHOLD_MISSED", "app", "main"]
