"""The typed errors the library raises, and the CLI exit code of each.

Exit codes (documented in the README):

* 0 - success
* 1 - the model or endpoint failed after retries (:class:`EndpointError`, :class:`ModelOutputError`)
* 2 - bad usage or bad input (:class:`InputError`, :class:`ConfigurationError`)
"""

from __future__ import annotations


class SummarizerError(Exception):
    """Base class of every error this library raises on purpose."""

    exit_code: int = 1


class InputError(SummarizerError):
    """The article could not be read or is not usable (missing, empty, undecodable)."""

    exit_code = 2


class ArgumentTypeError(InputError, TypeError):
    """A Python caller passed an argument of the wrong type (``summarize(None)``): an
    :class:`InputError` that is also a ``TypeError``."""


class ConfigurationError(SummarizerError):
    """The settings are invalid (unknown provider or mode, missing model file, ...)."""

    exit_code = 2


class EndpointError(SummarizerError):
    """The LLM endpoint failed: transport faults after retries, or a non-retryable HTTP status."""

    exit_code = 1

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class RequestRejectedError(EndpointError):
    """The endpoint refused the request itself (a structured-output mode or schema it does not
    support, a prompt over its context): a setting to change, not a fault to retry.
    ``this_article``: only this article's request is at fault (its prompt is too long)."""

    exit_code = 2

    def __init__(
        self, message: str, *, status_code: int | None = None, this_article: bool = False
    ) -> None:
        super().__init__(message, status_code=status_code)
        self.this_article = this_article


class UnreachableError(EndpointError):
    """No connection to the endpoint after every retry (down, or it died mid-run)."""


class AuthenticationError(EndpointError):
    """The endpoint rejected the credentials (HTTP 401/403)."""


class ModelOutputError(SummarizerError):
    """The model never produced a reply that parses into the schema, even after re-asks."""

    exit_code = 1


class GroundingError(ModelOutputError):
    """``strict`` mode: some evidence, quote, number or entity is still ungrounded after re-asks."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems
