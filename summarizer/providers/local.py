"""Provider ``local``: a GGUF model run in-process by llama-cpp-python, no network, no key.

The default model is the embedded one (:mod:`summarizer.providers.embedded_model`); any other
GGUF file can be named with ``--model-path`` / ``SUMMARIZER_LOCAL_MODEL``.

Structured output: the response schema instructor sends becomes an llguidance grammar
(:mod:`summarizer.constrained.grammar`), and our own decoding loop
(:mod:`summarizer.providers.decoding`) runs the model under it, feeding the tokens the grammar
forces in batches. The chat prompt is rendered with the model's own template (GGUF metadata).
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import threading
import time
import warnings
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.constrained.grammar import guidance_grammar
from summarizer.constrained.models import CONTROL_TOKEN_TEXT
from summarizer.datamodel.errors import ConfigurationError
from summarizer.datamodel.settings import Settings
from summarizer.datamodel.types import Mode
from summarizer.grounding.context import GREEDY_REASK_KINDS
from summarizer.providers.decoding import Decoded, Decoder, ProgressCallback
from summarizer.providers.embedded_model import DEFAULT_LOCAL_MODEL_NAME, embedded_model_path
from summarizer.providers.policy import ProviderPolicy
from summarizer.providers.threads import ThreadChoice, default_threads

if TYPE_CHECKING:
    from llama_cpp import Llama

    from summarizer.transport import RawCreate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CallTiming:
    """One local completion: llama.cpp's own counters and the wall time of the llama call."""

    label: str  # the response model the reply is for
    prompt_tokens: int
    evaluated_prompt_tokens: int  # fewer than prompt_tokens when a cached prefix was reused
    decoded_tokens: int  # chosen by the model, one forward pass each
    forced_tokens: int  # fixed by the grammar, evaluated in batches
    prefill_ms: float  # llama.cpp's time in batches (prompt and forced tokens)
    decode_ms: float  # llama.cpp's time in single-token passes
    llama_wall_s: float

    @property
    def completion_tokens(self) -> int:
        return self.decoded_tokens + self.forced_tokens


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


def grammar_for(response_format: dict[str, Any] | None) -> tuple[str, str | None]:
    """The reply's label and the llguidance grammar that enforces instructor's
    ``response_format``: its schema (JSON_SCHEMA mode), any JSON object (JSON mode), or none
    (MD_JSON mode: free text, the JSON parsed from it)."""
    response_format = response_format or {}
    if response_format.get("type") == "json_schema":
        shape = response_format["json_schema"]
        return shape.get("name", "reply"), guidance_grammar(shape["schema"])
    if response_format.get("type") == "json_object":
        return "reply", guidance_grammar(None)
    return "reply", None


@cache
def decoder_for(llama: Llama) -> Decoder:
    """The decoder of a loaded model, with its llguidance tokenizer (built once: ~1.5 s)."""
    import llama_cpp
    from llguidance.llamacpp import lltokenizer_from_vocab

    vocab = llama_cpp.llama_model_get_vocab(llama._model.model)
    with warnings.catch_warnings():  # llguidance reads each token with a deprecated call
        warnings.simplefilter("ignore", DeprecationWarning)
        tokenizer = lltokenizer_from_vocab(vocab, n_vocab=llama.n_vocab())
    return Decoder(llama, tokenizer)


def chat_prompt(llama: Llama, messages: list[dict[str, Any]]) -> list[int]:
    """The token ids of ``messages`` rendered with the model's own chat template, ready for the
    assistant's reply."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    template = llama.metadata.get("tokenizer.chat_template")
    if not template:
        raise ConfigurationError("the model file has no chat template (tokenizer.chat_template)")

    def token_text(token: int) -> str:
        return llama._model.token_get_text(token) if token != -1 else ""

    formatter = Jinja2ChatFormatter(
        template=template,
        eos_token=token_text(llama.token_eos()),
        bos_token=token_text(llama.token_bos()),
    )
    text = formatter(messages=messages).prompt  # type: ignore[arg-type]
    return llama.tokenize(text.encode("utf-8"), add_bos=False, special=True)


@cache
def model_lock(llama: Llama) -> threading.Lock:
    """The lock of one loaded model: its llama.cpp context serves one completion at a time.
    Per loaded model, not per backend: every ``summarize()`` call builds a new backend, and all
    of them share the model :func:`load_llama` cached for the process."""
    return threading.Lock()


class LocalBackend:
    """Runs chat completions in-process, one at a time, with grammar-constrained decoding."""

    name = "local"
    concurrent = False

    @classmethod
    def policy(cls, settings: Settings) -> ProviderPolicy:
        """A small model decoding greedily under a grammar: per-article constrained schemas,
        one re-ask and only for a text in the wrong language (a re-ask costs a whole reply and
        mostly repeats it; everything else is repaired at once), one request at a time, and
        parts that fit the context window next to the prompt and the reply."""
        return ProviderPolicy(
            model=str(settings.local_model) if settings.local_model else DEFAULT_LOCAL_MODEL_NAME,
            mode=Mode.json_schema,
            max_reasks=1,
            reask_kinds=GREEDY_REASK_KINDS,
            constrain=True,
            guided=True,
            concurrency=1,
            # Prompt and instructions take ~2,000 tokens; German runs ~3 characters per token.
            chunk_chars=max((settings.context_size - settings.max_tokens - 2000) * 3, 2000),
        )

    def __init__(self, settings: Settings, *, batch: bool = False) -> None:
        policy = self.policy(settings).under(settings)
        if policy.mode not in Mode.in_process():
            modes = ", ".join(mode.value for mode in Mode.in_process())
            raise ConfigurationError(
                f"the local provider supports modes {modes} (json_schema is the default)"
            )
        if settings.local_model is not None and not settings.local_model.is_file():
            raise ConfigurationError(f"model file not found: {settings.local_model}")
        self._settings = settings
        self.model = policy.model
        self.mode_name: Mode = policy.mode
        self.timings: list[CallTiming] = []
        #: Told what the model is doing (the CLI shows it on a terminal).
        self.progress: ProgressCallback | None = None

    @cached_property
    def _model_path(self) -> Path:
        """The GGUF file; the embedded one is joined and its sha256 checked once, before the
        load (not before every completion: hashing 1.1 GB takes seconds)."""
        settings = self._settings
        return settings.local_model or embedded_model_path(settings.resolved_cache_dir)

    @cached_property
    def threads(self) -> ThreadChoice:
        """How many threads the model runs, and why (:mod:`summarizer.providers.threads`)."""
        choice = default_threads(self._settings.threads)
        log.info("local model: %s", choice.reason)
        return choice

    def _llama(self) -> Llama:
        settings = self._settings
        return load_llama(str(self._model_path), settings.context_size, self.threads.threads)

    def _decoder(self) -> Decoder:
        return decoder_for(self._llama())

    def _complete(self, kwargs: dict[str, Any]) -> Any:
        import llama_cpp
        from openai.types.chat import ChatCompletion

        label, grammar = grammar_for(kwargs.get("response_format"))
        settings = self._settings
        llama = self._llama()
        decoder = self._decoder()
        messages = [defuse_special_tokens(m) for m in kwargs["messages"]]
        with model_lock(llama):
            prompt = chat_prompt(llama, messages)
            llama_cpp.llama_perf_context_reset(llama._ctx.ctx)
            started = time.perf_counter()
            decoded = decoder.run(
                prompt,
                grammar,
                max_tokens=kwargs.get("max_tokens") or 0,
                label=label,
                reuse_prefix=settings.prefix_cache,
                fast_forward=settings.fast_forward,
                repeat_penalty=settings.repeat_penalty,
                progress=self.progress,
            )
            timing = self._timing(llama, label, decoded, time.perf_counter() - started)
        self.timings.append(timing)
        log.info(
            "local %s: %d prompt (%d evaluated) + %d decoded + %d forced tokens in %.1f s",
            label,
            timing.prompt_tokens,
            timing.evaluated_prompt_tokens,
            timing.decoded_tokens,
            timing.forced_tokens,
            timing.llama_wall_s,
        )
        return ChatCompletion.model_validate(
            {
                "id": f"local-{time.time_ns()}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": self.model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": decoded.text},
                        "finish_reason": decoded.finish_reason,
                    }
                ],
                "usage": {
                    "prompt_tokens": decoded.prompt_tokens,
                    "completion_tokens": decoded.completion_tokens,
                    "total_tokens": decoded.prompt_tokens + decoded.completion_tokens,
                },
            }
        )

    @staticmethod
    def _timing(llama: Llama, label: str, decoded: Decoded, wall_s: float) -> CallTiming:
        import llama_cpp

        perf = llama_cpp.llama_perf_context(llama._ctx.ctx)
        return CallTiming(
            label=label,
            prompt_tokens=decoded.prompt_tokens,
            evaluated_prompt_tokens=decoded.evaluated_prompt_tokens,
            decoded_tokens=decoded.decoded_tokens,
            forced_tokens=decoded.forced_tokens,
            prefill_ms=float(perf.t_p_eval_ms),
            decode_ms=float(perf.t_eval_ms),
            llama_wall_s=wall_s,
        )

    def raw_create(self) -> RawCreate:
        async def create(**kwargs: Any) -> Any:
            return await asyncio.to_thread(self._complete, kwargs)

        return create
