"""``summarizer events``: event records of many articles as one dataset."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from summarizer.cli.common import EXIT_NO_EVENTS, clean_errors

if TYPE_CHECKING:
    from summarizer.dataset.consolidate import Consolidated
    from summarizer.dataset.grouping import Sweep

app = typer.Typer(
    help="Consolidate the events of many articles and export them for analysis.",
    no_args_is_help=True,
)


class Engine(StrEnum):
    memory = "memory"
    duckdb = "duckdb"


def _sweep(engine: Engine) -> Sweep:
    """The sweep of ``engine``; DuckDB missing is a configuration error naming the extra."""
    from summarizer.dataset.grouping import sweep_in_memory

    if engine is Engine.memory:
        return sweep_in_memory
    try:
        import duckdb  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        from summarizer.datamodel.errors import ConfigurationError

        raise ConfigurationError(
            "--engine duckdb needs duckdb and pyarrow: pip install 'summarizer[analyst]'"
        ) from None
    from summarizer.dataset.duckdb_sweep import sweep_in_duckdb

    return sweep_in_duckdb


class ExportFormat(StrEnum):
    acled_csv = "acled-csv"
    gdelt_tsv = "gdelt-tsv"
    jsonl = "jsonl"
    parquet = "parquet"


def _output(out: Path, *inputs: Path) -> Path:
    """``out``, checked: not a folder, not one of the inputs; its folder created."""
    from summarizer.datamodel.errors import InputError
    from summarizer.datamodel.files import private_dir

    if out.is_dir():
        raise InputError(f"{out} is a directory; give a file name for the output")
    if any(out.resolve() == given.resolve() for given in inputs):
        raise InputError(f"{out} is also an input: writing it would destroy it")
    if not out.parent.exists():
        private_dir(out.parent)
    return out


@app.command("consolidate")
def consolidate_command(
    results: Annotated[
        Path, typer.Argument(help="Batch results (JSONL of batch records).", metavar="RESULTS")
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Consolidated events (JSONL; a missing folder is created)."
        ),
    ],
    days: Annotated[
        int, typer.Option(help="Days two reports of one event may be apart (before slack).")
    ] = 1,
    previous: Annotated[
        Path | None,
        typer.Option(
            help="An earlier events file: events that still exist keep its ids. Default: none."
        ),
    ] = None,
    engine: Annotated[
        Engine,
        typer.Option(
            help="Where the blocking join runs: in memory, or in DuckDB out of core (pip "
            "install 'summarizer[analyst]'); both give the same events."
        ),
    ] = Engine.memory,
) -> None:
    """Group the event records of many articles (both languages) into one event per real-world
    event, with every source article, its claims and the range of figures. Ids come from each
    event's content (the same in every run and input order). Exit 5 when there are no events."""
    with clean_errors():
        from summarizer.dataset.consolidate import iter_consolidated, keep_previous_ids
        from summarizer.dataset.mentions import Rule
        from summarizer.dataset.records import (
            counted,
            previous_ids,
            read_mentions,
            write_events,
        )

        _output(out, results, *([previous] if previous else []))
        read = read_mentions(results)
        events: Iterable[Consolidated] = iter_consolidated(
            read.mentions, Rule(days=days), _sweep(engine)
        )
        kept = ""
        if previous is not None:  # ids are given over all events: they are held at once
            events = list(events)
            same, new = keep_previous_ids(events, previous_ids(previous))
            kept = f"; {same} ids kept from {previous}, {new} new"
        skipped = []
        if read.errors:
            skipped.append(f"{read.errors} error records")
        if read.duplicates:
            skipped.append(f"{read.duplicates} repeated article ids (the last record counted)")
        note = f"; skipped {', '.join(skipped)}" if skipped else ""
        if not read.mentions:
            typer.echo(
                f"warning: no events in {results} ({read.articles} articles{note}); nothing "
                "written",
                err=True,
            )
            raise typer.Exit(EXIT_NO_EVENTS)
        counts: Counter[str] = Counter()
        write_events(out, counted(events, counts))
        typer.echo(
            f"{len(read.mentions)} event records of {read.articles} articles -> "
            f"{counts['events']} events ({counts['several']} reported by several articles, "
            f"{counts['disagree']} with sources that disagree on figures){note}{kept}: {out}",
            err=True,
        )


@app.command("export")
def export_command(
    events: Annotated[Path, typer.Argument(help="Consolidated events (JSONL).", metavar="EVENTS")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output file (a missing folder is created).")
    ],
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")] = (
        ExportFormat.acled_csv
    ),
) -> None:
    """Export consolidated events: ACLED-style CSV, GDELT-style TSV, JSONL or Parquet. Exit 5
    when the file holds no events."""
    with clean_errors():
        from summarizer.dataset.exports import export
        from summarizer.dataset.records import read_events

        _output(out, events)
        consolidated = read_events(events)
        if not consolidated:
            typer.echo(f"warning: no events in {events}; nothing written", err=True)
            raise typer.Exit(EXIT_NO_EVENTS)
        typer.echo(f"{export(consolidated, fmt.value, out)}: {out}", err=True)
