"""Transport retries (tenacity) around one raw chat-completion call, and error mapping.

Retried: connection errors (refused, dropped, a connect timeout), HTTP 408, 409, 429
(honouring ``Retry-After`` and ``retry-after-ms``) and 5xx, with exponential backoff and jitter,
bounded by ``Settings.transport_attempts`` and ``Settings.transport_deadline_s``. Not retried:
a read timeout (the server has the request and may still be working on it: a CPU server would
queue a second copy behind the first), which becomes an error naming the timeout setting; a
200 reply that is no chat completion (a proxy's HTML page, truncated JSON), an
:class:`~summarizer.datamodel.errors.EndpointError` naming its content type and first bytes;
every other 4xx, a clear :class:`~summarizer.datamodel.errors.EndpointError` that never echoes
the key; and any status whose body says the request itself is invalid (:func:`rejection`: a
response format, tool schema or grammar the server cannot handle, a prompt over its context -
servers such as llama-cpp-python's answer those with HTTP 500), which becomes a
:class:`~summarizer.datamodel.errors.RequestRejectedError` naming the mode and what to do.
Errors leaving this module carry no key (:func:`scrub_exception`)."""

from __future__ import annotations

import email.utils
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
)

from summarizer.datamodel.errors import (
    AuthenticationError,
    EndpointError,
    RequestRejectedError,
    UnreachableError,
)
from summarizer.datamodel.redact import redact
from summarizer.datamodel.settings import Settings
from summarizer.datamodel.types import Mode

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion

log = logging.getLogger(__name__)

RawCreate = Callable[..., Awaitable[Any]]


class RequestGate(Protocol):
    """Something every HTTP attempt passes through before it is sent (a batch run's shared
    concurrency and rate limits: :class:`summarizer.batch.limits.RequestLimits`)."""

    def wrap(self, raw_create: RawCreate) -> RawCreate: ...


RETRYABLE_STATUS = frozenset({408, 409, 429}) | frozenset(range(500, 600))


@dataclass
class TransportStats:
    """What happened below instructor during one structured call."""

    retries: int = 0


#: What a server's error says when the request itself is invalid, whatever the status code.
_INVALID_REQUEST = re.compile(
    r"response_format|json_schema|grammar|tool_choice|not supported|unsupported|"
    r"context (?:length|window|size)|maximum context|too many tokens|exceeds? the context|"
    r"Input should be|validation error|failed to parse|invalid (?:request|schema|json)",
    re.IGNORECASE,
)
_CONTEXT = re.compile(r"context|too many tokens", re.IGNORECASE)


def error_text(exc: openai.APIStatusError) -> str:
    """The server's error message on one line (``error.message`` of an OpenAI-style body)."""
    body: Any = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        body = inner.get("message", inner) if isinstance(inner, dict) else inner
        body = body.get("detail", body) if isinstance(body, dict) else body
    return redact(" ".join(str(body if body is not None else exc.message).split()))


def rejection(exc: BaseException) -> str | None:
    """What the server rejected, when ``exc`` says the request itself is invalid (a 400/413/422,
    or any status whose message names a response format, schema, grammar or the context)."""
    if not isinstance(exc, openai.APIStatusError):
        return None
    if exc.status_code in (401, 403, 404, 408, 409, 429):
        return None
    text = error_text(exc)
    if exc.status_code in (400, 413, 422) or _INVALID_REQUEST.search(text):
        return text
    return None


def is_retryable(exc: BaseException) -> bool:
    """A transient fault worth another attempt. A read timeout is not one: the server got the
    request and may still be working on it (a CPU server queues a second copy behind the
    first), so it becomes an error naming the timeout setting instead."""
    if isinstance(exc, openai.APITimeoutError):
        return _connect_failed(exc)
    if isinstance(exc, openai.APIConnectionError):
        return True
    return (
        isinstance(exc, openai.APIStatusError)
        and exc.status_code in RETRYABLE_STATUS
        and rejection(exc) is None
    )


def retry_after_seconds(exc: BaseException | None) -> float | None:
    """The server's requested delay from ``retry-after-ms`` or ``Retry-After``, if any."""
    if not isinstance(exc, openai.APIStatusError):
        return None
    headers = exc.response.headers
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return max(float(ms) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return max(parsed.timestamp() - time.time(), 0.0) if parsed else None


class _WaitRetryAfterOrBackoff:
    """Wait what the server asks for (capped), else exponential backoff with jitter."""

    def __init__(self, settings: Settings) -> None:
        self._cap = settings.retry_after_max_s
        self._backoff = wait_exponential_jitter(
            multiplier=settings.backoff_initial_s,
            max=settings.backoff_max_s,
            jitter=settings.backoff_initial_s,
        )

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        asked = retry_after_seconds(exc)
        if asked is not None:
            return min(asked, self._cap)
        return self._backoff(state)


def with_transport_retries(
    raw_create: RawCreate, settings: Settings, stats: TransportStats
) -> RawCreate:
    """Wrap ``raw_create`` so transport faults are retried and counted in ``stats``."""

    def before_sleep(state: RetryCallState) -> None:
        stats.retries += 1
        exc = state.outcome.exception() if state.outcome else None
        log.warning("transport fault (%s), retry %d", type(exc).__name__, stats.retries)

    async def create(*args: Any, **kwargs: Any) -> Any:
        async def attempt() -> Any:
            # openai's create is a plain function returning a coroutine: await it here so
            # tenacity sees a coroutine function.
            return await raw_create(*args, **kwargs)

        retrying = AsyncRetrying(
            retry=retry_if_exception(is_retryable),
            wait=_WaitRetryAfterOrBackoff(settings),
            stop=stop_after_attempt(settings.transport_attempts)
            | stop_after_delay(settings.transport_deadline_s),
            before_sleep=before_sleep,
            reraise=True,
        )
        try:
            return await retrying(attempt)
        except openai.OpenAIError as exc:
            scrub_exception(exc, settings.secret_values())
            raise

    return create


#: Loggers of the libraries below us that log raw error bodies (instructor logs every failed
#: attempt with the exception's text); each gets the masking filter when this module loads, so
#: a library user who configures no logging sees no key either.
_RAW_ERROR_LOGGERS = ("instructor", "instructor.v2.retry", "openai", "openai._base_client", "httpx")


def _mask_library_logs() -> None:
    from summarizer.datamodel.redact import RedactingFilter

    for name in _RAW_ERROR_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())


_mask_library_logs()


def scrub_exception(exc: openai.OpenAIError, secrets: list[str]) -> None:
    """Mask the key in an openai exception before anything above us (instructor's retry
    logging, a user's ``except``) prints it: its text, ``message`` and ``body``."""
    if exc.args:
        exc.args = (_scrub(str(exc.args[0]), secrets), *exc.args[1:])
    if isinstance(exc, openai.APIError):
        exc.message = _scrub(exc.message, secrets)
        exc.body = _scrub_value(exc.body, secrets)


def _scrub_value(value: Any, secrets: list[str]) -> Any:
    """``value`` (a decoded error body) with every string in it scrubbed."""
    if isinstance(value, str):
        return _scrub(value, secrets)
    if isinstance(value, dict):
        return {k: _scrub_value(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_value(v, secrets) for v in value]
    return value


def worst_case_request_s(settings: Settings) -> float:
    """Longest one request can take with its transport retries.

    Attempts stop after ``transport_attempts``, and no new attempt starts once
    ``transport_deadline_s`` has passed; each attempt may last ``timeout_s`` (httpx applies it
    per operation: connect, each read, each write) and each wait before a retry is capped by the
    larger of ``backoff_max_s`` and ``retry_after_max_s``.
    """
    attempts, timeout = settings.transport_attempts, settings.resolved_timeout_s
    wait = max(settings.backoff_max_s, settings.retry_after_max_s)
    by_attempts = attempts * timeout + (attempts - 1) * wait
    by_deadline = settings.transport_deadline_s + wait + timeout
    return min(by_attempts, by_deadline)


def parsed_completion(raw: Any, where: str) -> ChatCompletion:
    """The chat completion of a raw response (what the SDK's ``with_raw_response`` gives), or
    an :class:`EndpointError` for a reply that is none (a proxy's HTML page, truncated JSON)
    naming its content type and first bytes, and the usual cause. Not retried, not re-asked."""
    from openai.types.chat import ChatCompletion

    try:
        parsed = raw.parse()
    except ValueError:  # truncated or broken JSON
        parsed = None
    if isinstance(parsed, ChatCompletion) and isinstance(parsed.choices, list) and parsed.choices:
        return parsed
    status, content_type = raw.status_code, raw.headers.get("content-type")
    raise EndpointError(
        f"{where} answered HTTP {status} with {content_type or 'no content type'}, not a chat "
        f"completion: {redact(repr(raw.content[:80]))}; is the base URL the server's "
        "OpenAI-compatible API (often ending in /v1), with no proxy page in between?",
        status_code=status,
    )


def _scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return redact(text)


def _connect_failed(exc: openai.APITimeoutError) -> bool:
    """A "timeout" that is a failed connection: the aiohttp client of batch runs reports a
    refused connection as ``ConnectTimeout`` (of the SDK's httpx; matched by name, which stays
    the same across its httpx packages)."""
    return type(exc.__cause__).__name__ == "ConnectTimeout"


def endpoint_error(
    exc: openai.OpenAIError, settings: Settings, mode: Mode, model: str
) -> EndpointError:
    """Turn an openai exception into one clear message without the API key (``mode`` and
    ``model``: what the request was sent with)."""
    where = settings.base_url or "the OpenAI API"
    secrets = settings.secret_values()
    if isinstance(exc, openai.AuthenticationError):
        return AuthenticationError(
            f"invalid API key: {where} rejected the credentials (HTTP 401); check OPENAI_API_KEY",
            status_code=401,
        )
    if isinstance(exc, openai.PermissionDeniedError):
        return AuthenticationError(
            f"access denied by {where} (HTTP 403): the key may lack access to model '{model}'",
            status_code=403,
        )
    if isinstance(exc, openai.NotFoundError):
        return EndpointError(
            f"not found (HTTP 404) at {where}: check the model name '{model}' and the base URL",
            status_code=404,
        )
    attempts = settings.transport_attempts
    rejected = rejection(exc)
    if rejected is not None:
        assert isinstance(exc, openai.APIStatusError)
        reason = _scrub(rejected, secrets)[:200]
        this_article = bool(_CONTEXT.search(rejected))
        if this_article:
            hint = "the prompt is over the model's context: lower --chunk-chars"
        else:
            hint = (
                f"run `summarizer probe --base-url {settings.base_url or '...'} --model "
                f"{model}` to see what works, or use --mode auto"
            )
        return RequestRejectedError(
            f"{where} rejected the request in mode {mode.value} "
            f"(HTTP {exc.status_code}: {reason}); {hint}",
            status_code=exc.status_code,
            this_article=this_article,
        )
    if isinstance(exc, openai.APIStatusError):
        detail = _scrub(str(getattr(exc, "message", exc))[:300], secrets)
        if exc.status_code in RETRYABLE_STATUS:
            return EndpointError(
                f"{where} kept failing (HTTP {exc.status_code}) after up to {attempts} "
                f"attempts: {detail}",
                status_code=exc.status_code,
            )
        return EndpointError(
            f"request rejected by {where} (HTTP {exc.status_code}): {detail}",
            status_code=exc.status_code,
        )
    if isinstance(exc, openai.APITimeoutError) and not _connect_failed(exc):
        return EndpointError(
            f"{where} did not answer within {settings.resolved_timeout_s:g} s (not sent again: "
            "the server may still be working on it); for a slow server raise the timeout, "
            "e.g. SUMMARIZER_TIMEOUT_S=1800"
        )
    if isinstance(exc, openai.APIConnectionError):
        return UnreachableError(
            f"could not connect to {where} (up to {attempts} attempts): is the server running, "
            "on that host and port?"
        )
    return EndpointError(_scrub(f"endpoint error: {exc}", secrets))
