"""``summarizer events``: event records of many articles as one dataset."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from summarizer.cli.common import clean_errors

app = typer.Typer(
    help="Consolidate the events of many articles and export them for analysis.",
    no_args_is_help=True,
)


class ExportFormat(StrEnum):
    acled_csv = "acled-csv"
    gdelt_tsv = "gdelt-tsv"
    jsonl = "jsonl"
    parquet = "parquet"


@app.command("consolidate")
def consolidate_command(
    results: Annotated[Path, typer.Argument(help="Batch results (JSONL of batch records).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Consolidated events (JSONL).")],
    days: Annotated[
        int, typer.Option(help="Days two reports of one event may be apart (before slack).")
    ] = 1,
) -> None:
    """Group the event records of many articles (both languages) into one event per real-world
    event, with every source article, its claims and the range of figures."""
    with clean_errors():
        from summarizer.dataset.consolidate import Rule, consolidate
        from summarizer.dataset.records import read_mentions, write_events

        mentions = list(read_mentions(results))
        events = consolidate(mentions, Rule(days=days))
        write_events(out, events)
        disagree = sum(any(f.get("disagree") for f in e.figures.values()) for e in events)
        typer.echo(
            f"{len(mentions)} event records -> {len(events)} events "
            f"({sum(len(e.mentions) > 1 for e in events)} reported by several articles, "
            f"{disagree} with sources that disagree on figures): {out}",
            err=True,
        )


@app.command("export")
def export_command(
    events: Annotated[Path, typer.Argument(help="Consolidated events (JSONL).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")] = (
        ExportFormat.acled_csv
    ),
) -> None:
    """Export consolidated events: ACLED-style CSV, GDELT-style TSV, JSONL or Parquet."""
    with clean_errors():
        from summarizer.dataset.exports import export
        from summarizer.dataset.records import read_events

        typer.echo(f"{export(read_events(events), fmt.value, out)}: {out}", err=True)
