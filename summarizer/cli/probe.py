"""``summarizer probe``: what an OpenAI-compatible server supports for structured output."""

from __future__ import annotations

from typing import Annotated

import typer

from summarizer.cli.common import BaseUrlArg, ModelArg, clean_errors, settings_from

EXPLAIN = {
    "constrains": "accepted, and the output follows the schema",
    "ignored": "accepted, but the output does not follow the schema",
    "parses": "JSON from the prompt alone (not constrained)",
    "no_json": "no JSON in the answer",
    "rejected": "refused",
    "failed": "no answer",
    "unknown": "no verdict: the server kept failing (transient faults, retried)",
}


def probe(
    base_url: BaseUrlArg = None,
    model: ModelArg = None,
    save: Annotated[
        bool, typer.Option(help="Store the answer for --mode auto (replaces an earlier one).")
    ] = True,
) -> None:
    """Probe a server: which structured-output mode works, which schema features break it."""
    with clean_errors():
        from summarizer.datamodel.errors import ConfigurationError
        from summarizer.providers.probe import probe as run_probe
        from summarizer.providers.probe import save_report

        settings = settings_from(provider="openai", base_url=base_url, model=model)
        if settings.base_url is None:
            raise ConfigurationError("probe needs a server: --base-url or OPENAI_BASE_URL")
        report = run_probe(settings)
        typer.echo(f"server {report.base_url}, model {report.model}")
        for name, result in report.mechanisms.items():
            detail = f" ({result.detail})" if result.detail else ""
            typer.echo(f"  {name:<20} {result.outcome:<11} {EXPLAIN[result.outcome]}{detail}")
        for name, result in report.features.items():
            detail = f" ({result.detail})" if result.detail else ""
            typer.echo(f"  feature {name:<12} {result.outcome}{detail}")
        if report.mode is None:
            typer.echo("no structured-output mode works with this server and model", err=True)
            raise typer.Exit(1)
        how = " (sent as json_object with the schema)" if report.json_object_schema else ""
        adapted = f"; adapted: {', '.join(report.adapt)}" if report.adapt else ""
        typer.echo(f"recommended: --mode {report.mode.value}{how}{adapted}")
        if report.honours_constraints:
            typer.echo(
                "per-article constraints: honoured; mode auto sends them with the guided "
                "pipeline, as the in-process model runs (SUMMARIZER_CONSTRAIN=false: full schemas)"
            )
        else:
            typer.echo("per-article constraints: not sent (full schemas, left to validation)")
        if save and not report.complete:
            typer.echo("not saved: transient faults left some answers unknown; probe again")
        elif save:
            path = save_report(settings, report)
            typer.echo(f"saved for --mode auto: {path}")
