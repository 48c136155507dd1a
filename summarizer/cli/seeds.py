"""``summarizer seeds``: work with hand-labeled seed articles."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Work with hand-labeled seed articles.", no_args_is_help=True)


@app.command("check")
def seeds_check(
    directory: Annotated[Path, typer.Argument(help="Seed directory.", metavar="DIRECTORY")] = Path(
        "seeds"
    ),
) -> None:
    """Verify every gold label against its article; exit 1 when one is broken."""
    from summarizer.evals.gold import SeedError, load_seeds
    from summarizer.evals.seed_check import check_label

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
