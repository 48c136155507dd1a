"""What every command shares: one-line errors with documented exit codes, and the options that
select a provider."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from summarizer.datamodel.types import Language, Mode

#: Exit code of ``eval run`` when a suite threshold is missed.
EXIT_THRESHOLD_MISSED = 3
#: Exit code of ``batch run``/``batch import`` when some articles ended as error records.
EXIT_SOME_FAILED = 4
#: Exit code of ``events consolidate``/``events export`` when there is nothing to write.
EXIT_NO_EVENTS = 5


class Verbosity:
    """Whether ``-v`` was given (set by the app's callback)."""

    verbose = False


@contextmanager
def clean_errors() -> Iterator[None]:
    """Turn errors into one stderr line and the documented exit code (traceback only with -v)."""
    from summarizer.datamodel.errors import SummarizerError

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
        if Verbosity.verbose:
            raise
        typer.echo(
            f"error: internal error ({type(exc).__name__}: {exc}); rerun with -v for the traceback",
            err=True,
        )
        raise typer.Exit(1) from None


ProviderArg = Annotated[
    str | None,
    typer.Option(
        help="openai (any OpenAI-compatible endpoint), local (the embedded model), lead (the "
        "first sentences, a baseline) or an installed plugin such as oracle (gold labels, for "
        "the eval harness). Default: openai when OPENAI_API_KEY or a base URL is set, else "
        "local."
    ),
]
ModelArg = Annotated[
    str | None,
    typer.Option(
        help="Model name (env SUMMARIZER_MODEL). Default: the provider's (gpt-4o-mini for "
        "OpenAI, the embedded model for local)."
    ),
]
BaseUrlArg = Annotated[
    str | None,
    typer.Option(
        help="OpenAI-compatible base URL, e.g. http://localhost:8080/v1 (env OPENAI_BASE_URL). "
        "Default: OpenAI's API."
    ),
]
ModeArg = Annotated[
    Mode | None,
    typer.Option(
        help="instructor structured-output mode. Default: the provider's (auto - probe once, "
        "cached - for a base URL, tools for OpenAI's API, json_schema for local)."
    ),
]
ModelPathArg = Annotated[
    Path | None,
    typer.Option(
        "--model-path",
        help="GGUF file for the local provider (env SUMMARIZER_LOCAL_MODEL). Default: the "
        "embedded Qwen2.5-Coder-1.5B.",
    ),
]
OutputLanguageArg = Annotated[
    Language | None,
    typer.Option("--output-language", "-l", help="de or en; default: the article's own."),
]


def settings_from(**given: Any) -> Any:
    """Validated settings from option values (``None`` means not given) and the environment."""
    from summarizer.datamodel.settings import load_settings

    return load_settings(**given)
