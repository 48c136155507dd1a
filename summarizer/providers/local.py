"""Provider ``local``: a GGUF model run in-process by llama-cpp-python, no network, no key.

The default model is the embedded one (:mod:`summarizer.providers.embedded_model`); any other
GGUF file can be named with ``--model-path`` / ``SUMMARIZER_LOCAL_MODEL``.

Structured output uses llama.cpp grammars built from the response schema
(:func:`decoding_constraint`): instructor's JSON_SCHEMA mode sends a response format that
llama-cpp-python would silently ignore.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import threading
import time
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.core.constrained import CONTROL_TOKEN_TEXT
from summarizer.core.errors import ConfigurationError
from summarizer.core.settings import Settings
from summarizer.core.types import Mode
from summarizer.providers.embedded_model import embedded_model_path

if TYPE_CHECKING:
    from llama_cpp import Llama

    from summarizer.transport import RawCreate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CallTiming:
    """One local completion: llama.cpp's own counters and the wall time of the llama call."""

    prompt_tokens: int
    evaluated_prompt_tokens: int  # fewer than prompt_tokens when a cached prefix was reused
    completion_tokens: int
    prefill_ms: float
    decode_ms: float
    llama_wall_s: float


def decoding_constraint(response_format: dict[str, Any] | None) -> dict[str, Any]:
    """llama-cpp-python arguments that enforce instructor's ``response_format``.

    instructor's JSON_SCHEMA mode sends ``{"type": "json_schema", "json_schema": {"schema":
    ...}}``, which llama-cpp-python silently ignores (it only builds a grammar for
    ``{"type": "json_object", "schema": ...}``); we build the grammar from the schema ourselves
    (:mod:`summarizer.providers.grammar`). Other formats (JSON mode) pass through unchanged.
    """
    if response_format and response_format.get("type") == "json_schema":
        from summarizer.providers.grammar import grammar_for_schema

        return {"grammar": grammar_for_schema(response_format["json_schema"]["schema"])}
    return {"response_format": response_format}


def defuse_special_tokens(message: dict[str, Any]) -> dict[str, Any]:
    """The message with control-token markup in user text broken up by a zero-width space.

    llama-cpp-python tokenizes the rendered chat prompt with ``special=True``, so an article
    containing ``<|im_start|>system`` would open a real system turn. Our own system message is
    left alone; user text keeps every visible character (evidence containing such markup may
    fail to ground, which is the safe side).
    """
    content = message.get("content")
    if message.get("role") == "system" or not isinstance(content, str):
        return message
    defused = CONTROL_TOKEN_TEXT.sub(lambda m: f"<\u200b{m.group(1)}>", content)
    return {**message, "content": defused}


@cache
def load_llama(path: str, context_size: int, threads: int) -> Llama:
    """Load a GGUF model once per process (cached by path and parameters)."""
    try:
        from llama_cpp import Llama
    except ImportError:
        raise ConfigurationError(
            "the local provider needs llama-cpp-python: pip install 'summarizer[local]'"
        ) from None
    try:
        llama = Llama(
            model_path=path,
            n_ctx=context_size,
            n_threads=threads,
            n_threads_batch=threads,
            verbose=False,
        )
    except ValueError as exc:
        raise ConfigurationError(f"could not load the model file {path}: {exc}") from None
    # Free it before interpreter teardown; llama's __del__ fails noisily once modules are gone.
    atexit.register(llama.close)
    return llama


class LocalBackend:
    """Runs chat completions in-process, one at a time, with grammar-constrained decoding."""

    name = "local"
    concurrent = False

    def __init__(self, settings: Settings) -> None:
        if settings.resolved_mode not in Mode.in_process():
            modes = ", ".join(mode.value for mode in Mode.in_process())
            raise ConfigurationError(
                f"the local provider supports modes {modes} (json_schema is the default)"
            )
        if settings.local_model is not None and not settings.local_model.is_file():
            raise ConfigurationError(f"model file not found: {settings.local_model}")
        self._settings = settings
        self.model = settings.resolved_model
        self.mode_name = settings.resolved_mode
        self._lock = threading.Lock()
        self.timings: list[CallTiming] = []

    @cached_property
    def _model_path(self) -> Path:
        """The GGUF file; the embedded one is joined and its sha256 checked once, before the
        load (not before every completion: hashing 1.1 GB takes seconds)."""
        settings = self._settings
        return settings.local_model or embedded_model_path(settings.resolved_cache_dir)

    def _llama(self) -> Llama:
        settings = self._settings
        threads = settings.threads or os.cpu_count() or 1
        return load_llama(str(self._model_path), settings.context_size, threads)

    def _complete(self, kwargs: dict[str, Any]) -> Any:
        import llama_cpp
        from openai.types.chat import ChatCompletion

        llama = self._llama()
        with self._lock:
            if not self._settings.prefix_cache:
                llama.reset()  # forget the evaluated tokens: the whole prompt is prefilled again
            llama_cpp.llama_perf_context_reset(llama._ctx.ctx)
            started = time.perf_counter()
            result = llama.create_chat_completion(
                messages=[defuse_special_tokens(m) for m in kwargs["messages"]],
                **decoding_constraint(kwargs.get("response_format")),
                temperature=kwargs.get("temperature", 0.0),
                max_tokens=kwargs.get("max_tokens"),
                repeat_penalty=self._settings.repeat_penalty,
                seed=0,
            )
            timing = self._timing(llama, result, time.perf_counter() - started)
        self.timings.append(timing)
        log.info(
            "local completion: %d prompt (%d evaluated) + %d completion tokens in %.1f s",
            timing.prompt_tokens,
            timing.evaluated_prompt_tokens,
            timing.completion_tokens,
            timing.llama_wall_s,
        )
        return ChatCompletion.model_validate(result)

    @staticmethod
    def _timing(llama: Llama, result: dict[str, Any], wall_s: float) -> CallTiming:
        import llama_cpp

        perf = llama_cpp.llama_perf_context(llama._ctx.ctx)
        usage = result.get("usage") or {}
        return CallTiming(
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            evaluated_prompt_tokens=int(perf.n_p_eval),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            prefill_ms=float(perf.t_p_eval_ms),
            decode_ms=float(perf.t_eval_ms),
            llama_wall_s=wall_s,
        )

    def raw_create(self) -> RawCreate:
        async def create(**kwargs: Any) -> Any:
            return await asyncio.to_thread(self._complete, kwargs)

        return create
