"""What an OpenAI-compatible server supports for structured output, found by asking it.

A few tiny requests (``max_tokens`` 80), one per mechanism, each with a schema whose only
valid answer is a word no model writes unprompted (``zyzzyva-quux``) while the prompt asks for
something else ("Reply with one word: hello."): a server that answers with the word really
constrains its output; one that answers "hello" accepted the schema and ignored it.

Mechanisms, in the order of preference: the ``json_schema`` response format, ``tools`` with a
forced ``tool_choice``, a ``json_object`` response format carrying the schema (llama-cpp-python's
extension), then plain JSON (``json_object`` without a schema, the schema only in the prompt) and
fenced JSON in free text. The first that constrains is recommended (as our :class:`Mode`; the
``json_object`` form as mode ``json_schema``, its response format rewritten); for it, schema
features are tried one at a time (``$ref`` into ``$defs``, ``minItems``, a short
``maxLength``, a ``pattern``, a nested ``anyOf``; ``enum`` is what every mechanism is tried
with), and what breaks it is adapted in every request
(:func:`summarizer.constrained.server.server_schema`). The report says which features
constrain: a server whose mechanism constrains ``enum``, ``pattern``, a short ``maxLength`` and
a nested ``anyOf`` (:attr:`ProbeReport.honours_constraints`) gets the per-article constraints
the in-process model runs under (sentence ids as enums, bounded sentences as patterns) and the
guided pipeline (:meth:`~summarizer.providers.openai_compat.OpenAICompatibleBackend.served_policy`).

Long ``maxLength`` values are never probed: llama.cpp's Python converter expands them into
nested rules, the grammar fails to parse and llama-cpp-python's server process dies (measured
with ``maxLength`` 1200; 500 passed). Requests to any server but OpenAI's own drop long limits
instead (validation still enforces them).

The answer is cached per base URL and model in the cache directory (``--mode auto`` probes once);
``summarizer probe`` probes again and replaces it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from pathlib import Path
from typing import Any

from summarizer.constrained.server import server_pattern
from summarizer.datamodel.errors import EndpointError, UnreachableError
from summarizer.datamodel.files import private_dir, write_private
from summarizer.datamodel.settings import Settings
from summarizer.datamodel.types import Mode
from summarizer.providers.probe_report import ProbeReport, Result
from summarizer.providers.registry import policy_for

log = logging.getLogger(__name__)

SENTINEL = "zyzzyva-quux"
WORD = {
    "type": "object",
    "properties": {"word": {"type": "string", "enum": [SENTINEL]}},
    "required": ["word"],
}
HELLO = [{"role": "user", "content": "Reply with one word: hello."}]
#: A shape no model writes unprompted, for the ``pattern`` feature, and one string of it: with
#: a group, an alternation and a ``\u`` range, as the sentence patterns sent have them (sent as
#: :func:`~summarizer.constrained.server.server_pattern` makes them).
CODE, CODE_EXAMPLE = r"^zq-(?:[0-9]|[\u00C0-\u00C1]){3}-xv$", "zq-417-xv"
#: The second shape of the ``anyOf`` feature (the first is :data:`WORD`).
OTHER = {
    "type": "object",
    "properties": {"other": {"type": "string", "enum": [SENTINEL[::-1]]}},
    "required": ["other"],
}
ASK_JSON = [
    {"role": "system", "content": "Answer with JSON only."},
    {"role": "user", "content": f'Reply with the JSON object {{"word": "{SENTINEL}"}}.'},
]
ASK_FENCED = [
    {
        "role": "user",
        "content": f'Reply with this JSON in a ```json fenced block: {{"word": "{SENTINEL}"}}',
    }
]
#: Schema features tried on the recommended mechanism, each with a schema using it and a test
#: of the decoded answer.
FEATURES: dict[str, dict[str, Any]] = {
    "$ref": {
        "type": "object",
        "$defs": {"Word": WORD},
        "properties": {"w": {"$ref": "#/$defs/Word"}},
        "required": ["w"],
    },
    "minItems": {
        "type": "object",
        "properties": {"ws": {"type": "array", "items": WORD, "minItems": 2, "maxItems": 2}},
        "required": ["ws"],
    },
    "maxLength": {
        "type": "object",
        "properties": {
            "word": {"type": "string", "enum": [SENTINEL]},
            "note": {"type": "string", "maxLength": 40},
        },
        "required": ["word", "note"],
    },
    # a sentence id or a sentence's shape, as the in-process grammar bounds them; "examples"
    # is for the fake server's full-featured family (real servers ignore it)
    "pattern": {
        "type": "object",
        "properties": {
            "word": {"type": "string", "enum": [SENTINEL]},
            "code": {
                "type": "string",
                "pattern": server_pattern(CODE),
                "examples": [CODE_EXAMPLE],
            },
        },
        "required": ["word", "code"],
    },
    # one of several shapes (an event's or a key point's evidence by id or by text)
    "anyOf": {
        "type": "object",
        "properties": {"pick": {"anyOf": [WORD, OTHER]}},
        "required": ["pick"],
    },
}
#: Attempts per probe request when the server answers with a transient fault (a 429, a
#: timeout, a 5xx that names no schema); still failing, the mechanism is left ``unknown``.
PROBE_ATTEMPTS = 3
#: Mechanisms that constrain, by preference, and the mode each becomes.
CONSTRAINING: dict[str, Mode] = {
    "json_schema": Mode.json_schema,
    "tools": Mode.tools,
    "json_object_schema": Mode.json_schema,  # the response format rewritten per request
}


def _arguments(
    mechanism: str, schema: dict[str, Any]
) -> tuple[list[dict[str, str]], dict[str, Any]]:
    if mechanism == "json_schema":
        fmt = {"type": "json_schema", "json_schema": {"name": "Probe", "schema": schema}}
        return HELLO, {"response_format": fmt}
    if mechanism == "json_object_schema":
        return HELLO, {"response_format": {"type": "json_object", "schema": schema}}
    if mechanism == "tools":
        tool = {"type": "function", "function": {"name": "Probe", "parameters": schema}}
        choice = {"type": "function", "function": {"name": "Probe"}}
        return HELLO, {"tools": [tool], "tool_choice": choice}
    if mechanism == "json":
        return ASK_JSON, {"response_format": {"type": "json_object"}}
    return ASK_FENCED, {}


def _answer(response: Any) -> str:
    """The text of a reply: its tool call's arguments, else its content."""
    message = response.choices[0].message
    calls = getattr(message, "tool_calls", None) or []
    return calls[0].function.arguments if calls else message.content or ""


def _json_in(text: str) -> Any:
    """The JSON value in ``text`` (whole, or in a fenced block, or the first ``{...}``)."""
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    for candidate in (text, fenced.group(1) if fenced else "", text[text.find("{") :]):
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    return None


def _words(value: Any) -> list[str]:
    """Every ``word`` value anywhere in a decoded answer."""
    if isinstance(value, dict):
        return [w for k, v in value.items() for w in ([v] if k == "word" else _words(v))]
    if isinstance(value, list):
        return [w for item in value for w in _words(item)]
    return []


def _judge(answer: str, constrained: bool, feature: str | None = None) -> Result:
    value = _json_in(answer)
    words = _words(value)
    if constrained:
        if feature == "anyOf":
            pick = value.get("pick") if isinstance(value, dict) else None
            if pick in ({"word": SENTINEL}, {"other": SENTINEL[::-1]}):
                return Result("constrains")
            return Result("ignored", answer[:80])
        shape_ok = {
            "minItems": lambda: len(value["ws"]) == 2,
            "pattern": lambda: re.fullmatch(CODE, value["code"]) is not None,
        }.get(feature or "", lambda: True)
        try:
            shaped = isinstance(value, dict) and shape_ok()
        except (KeyError, TypeError):
            shaped = False
        if words and all(w == SENTINEL for w in words) and shaped:
            return Result("constrains")
        return Result("ignored", answer[:80])
    return Result("parses") if SENTINEL in words else Result("no_json", answer[:80])


class Prober:
    """Sends the probe requests to one server (blocking). A transient fault is retried
    (:data:`PROBE_ATTEMPTS`, honouring ``Retry-After``) and, if it persists, leaves the mechanism
    ``unknown``, never "rejected"; a rejected key or an unknown model (HTTP 401, 403, 404) ends
    the probe with the same error a request would get."""

    def __init__(self, settings: Settings) -> None:
        import openai

        key = settings.api_key
        self._client = openai.OpenAI(
            api_key=key.get_secret_value() if key else "sk-no-key",
            base_url=settings.base_url,
            timeout=settings.resolved_timeout_s,
            max_retries=0,
        )
        self._settings = settings
        self._model = policy_for(settings).model
        self._url = settings.base_url
        self.alive = True
        self.answered = False

    def ask(self, mechanism: str, schema: dict[str, Any], feature: str | None = None) -> Result:
        import openai

        from summarizer.transport import (
            endpoint_error,
            error_text,
            is_retryable,
            parsed_completion,
            retry_after_seconds,
        )

        messages, arguments = _arguments(mechanism, schema)
        result = Result("unknown")
        last_fault: BaseException | None = None
        for attempt in range(PROBE_ATTEMPTS):
            if attempt:
                asked = retry_after_seconds(last_fault)
                wait = asked if asked is not None else self._settings.backoff_initial_s * attempt
                time.sleep(min(wait, self._settings.retry_after_max_s))
            try:
                raw = self._client.chat.completions.with_raw_response.create(
                    model=self._model,
                    messages=messages,
                    max_tokens=80,
                    temperature=0,
                    **arguments,
                )
            except openai.APIStatusError as exc:
                self.answered = True
                if exc.status_code in (401, 403, 404):
                    raise endpoint_error(
                        exc, self._settings, Mode.json_schema, self._model
                    ) from None
                detail = f"HTTP {exc.status_code}: {error_text(exc)[:160]}"
                if not is_retryable(exc):
                    return Result("rejected", detail)
                last_fault, result = exc, Result("unknown", f"{detail} (transient, retried)")
                continue
            except openai.APITimeoutError:
                # not sent again: the server may still be working on it
                timeout = self._settings.resolved_timeout_s
                return Result("unknown", f"no answer within {timeout:g} s")
            except openai.APIConnectionError as exc:
                if not self.answered:
                    raise UnreachableError(
                        f"could not connect to {self._url} (to probe it): is the server "
                        "running, on that host and port?"
                    ) from None
                self.alive = False
                return Result(
                    "failed", f"no answer ({type(exc).__name__}): the server may have died"
                )
            self.answered = True
            answer = _answer(parsed_completion(raw, str(self._url)))
            return _judge(answer, mechanism in CONSTRAINING, feature)
        return result


def probe(settings: Settings) -> ProbeReport:
    """Probe the server of ``settings`` (see the module docstring)."""
    prober = Prober(settings)
    report = ProbeReport(base_url=settings.base_url or "", model=policy_for(settings).model)
    for mechanism in (*CONSTRAINING, "json", "md_json"):
        if not prober.alive:
            report.mechanisms[mechanism] = Result("failed", "not tried: the server stopped")
            continue
        report.mechanisms[mechanism] = prober.ask(mechanism, WORD)
    chosen = next((m for m in CONSTRAINING if report.mechanisms[m].outcome == "constrains"), None)
    if chosen is not None:
        report.mode = CONSTRAINING[chosen]
        report.json_object_schema = chosen == "json_object_schema"
        for feature, schema in FEATURES.items():
            if not prober.alive:
                report.features[feature] = Result("failed", "not tried: the server stopped")
                continue
            result = prober.ask(chosen, schema, feature)
            report.features[feature] = result
            if result.outcome != "constrains" and feature in ("$ref", "minItems"):
                report.adapt.append(feature)
            if result.outcome in ("rejected", "failed") and feature == "pattern":
                report.adapt.append(feature)  # an ignored pattern does no harm; a fatal one
    elif report.mechanisms["json"].outcome == "parses":
        report.mode = Mode.json
    elif report.mechanisms["md_json"].outcome == "parses":
        report.mode = Mode.md_json
    return report


def _cache_path(settings: Settings) -> Path:
    key = f"{settings.base_url}|{policy_for(settings).model}".encode()
    name = hashlib.sha256(key).hexdigest()[:16]
    return settings.resolved_cache_dir / "probes" / f"{name}.json"


def save_report(settings: Settings, report: ProbeReport) -> Path:
    path = _cache_path(settings)
    private_dir(path.parent)
    write_private(path, report.to_json())
    return path


def server_report(settings: Settings) -> ProbeReport:
    """The cached probe of this server and model, probing it first if there is none."""
    path = _cache_path(settings)
    if path.is_file():
        try:
            report = ProbeReport.from_json(path.read_text(encoding="utf-8"))
            log.info(
                "mode auto: %s for %s (probed before; summarizer probe to redo)",
                report.mode,
                settings.base_url,
            )
            return report
        except (ValueError, KeyError, TypeError):
            pass  # an unreadable cache entry: probe again
    report = probe(settings)
    if report.mode is None and not report.complete:
        raise EndpointError(
            f"{settings.base_url} kept failing while it was probed ("
            + "; ".join(f"{k}: {r.detail}" for k, r in report.mechanisms.items() if r.detail)[:300]
            + "); nothing was cached: try again, or see `summarizer probe`"
        )
    if report.mode is None:
        raise EndpointError(
            f"{settings.base_url} produced no usable structured output in any mode "
            f"(model {policy_for(settings).model}); see `summarizer probe`"
        )
    if report.complete:
        save_report(settings, report)
        log.info("mode auto: %s for %s (probed now)", report.mode.value, settings.base_url)
    else:
        log.warning(
            "mode auto: %s for %s for this run only (transient faults while probing; "
            "nothing cached)",
            report.mode.value,
            settings.base_url,
        )
    return report
