"""The ``summarizer`` command line (typer): one module per command group.

Exit codes: 0 success; 1 the model or endpoint failed after retries; 2 bad usage, bad input or
a request the endpoint rejects (mode, schema, context);
3 an eval threshold was missed; 4 some batch articles ended as error records; 130 interrupted.
Errors are one line on stderr, never a traceback. Heavy libraries are imported inside the
commands, so ``summarizer --help`` starts fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from summarizer.cli import batch, evals, events, seeds
from summarizer.cli.common import EXIT_SOME_FAILED, EXIT_THRESHOLD_MISSED, Verbosity
from summarizer.cli.probe import probe
from summarizer.cli.summarize import schema, summarize

app = typer.Typer(
    help="Structured, source-grounded summaries and event records of German and English news.",
    no_args_is_help=True,
    add_completion=False,
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
