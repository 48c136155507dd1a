"""Greedy decoding of the in-process model under an llguidance grammar, with forced tokens fed
at prefill speed (jump-forward decoding, as SGLang does for constrained decoding).

Policy:

* **Prefix reuse**: the prompt is evaluated from the end of the longest prefix the model's KV
  cache already holds (the system prompt and, since prompts put the article before the task,
  the article of the previous call), unless ``reuse_prefix`` is off.
* **Forced tokens**: where the grammar leaves only one continuation (keys, separators, the rest
  of an enum value once it is unambiguous, the closing brackets), llguidance returns it as
  tokens; they are appended without asking the model and evaluated together with the token
  before them in one batch (one forward pass, prefill speed) instead of one pass each.
* **Choices**: elsewhere the model's most likely token among those the grammar allows is taken
  (temperature 0; a repeat penalty other than 1.0 is applied first, as llama.cpp does).
* **Stop**: when the grammar is complete (the only allowed token is the end of the turn, which
  is then not evaluated), when the model ends its turn, or after ``max_tokens`` tokens
  (``finish_reason`` "length").

Without a grammar (instructor's MD_JSON mode) the same loop decodes freely.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from summarizer.datamodel.errors import InputError

if TYPE_CHECKING:
    from llama_cpp import Llama
    from llguidance import LLMatcher, LLTokenizer

#: llama.cpp's default window for the repeat penalty.
PENALTY_WINDOW = 64
PROGRESS_EVERY_S = 0.25


@dataclass(frozen=True)
class DecodeStep:
    """What the decoder is doing, for a progress display."""

    label: str  # the reply being written (the response model's name)
    phase: Literal["prefill", "decode"]
    tokens: int  # prompt tokens to evaluate (prefill) or reply tokens so far (decode)
    elapsed_s: float


ProgressCallback = Callable[[DecodeStep], None]


@dataclass(frozen=True)
class Decoded:
    """One reply and what producing it took."""

    text: str
    prompt_tokens: int
    evaluated_prompt_tokens: int  # the rest came from the KV cache
    decoded_tokens: int  # chosen by the model, one forward pass each
    forced_tokens: int  # fixed by the grammar, evaluated in batches
    finish_reason: Literal["stop", "length"]

    @property
    def completion_tokens(self) -> int:
        return self.decoded_tokens + self.forced_tokens


def allowed_tokens(matcher: LLMatcher, vocabulary: int) -> np.ndarray:
    """The grammar's mask for the next token as booleans, one per vocabulary entry."""
    bits = np.frombuffer(matcher.compute_bitmask(), dtype=np.uint8)
    return np.unpackbits(bits, bitorder="little")[:vocabulary].astype(bool)


def penalize(logits: np.ndarray, recent: list[int], penalty: float) -> np.ndarray:
    """llama.cpp's repeat penalty: a recent token's positive logit divided, negative
    multiplied by ``penalty``."""
    if penalty == 1.0 or not recent:
        return logits
    logits = logits.copy()
    ids = np.unique(np.asarray(recent[-PENALTY_WINDOW:]))
    values = logits[ids]
    logits[ids] = np.where(values > 0, values / penalty, values * penalty)
    return logits


class Decoder:
    """Runs prompts on one loaded model (not thread-safe: the caller holds its lock)."""

    def __init__(self, llama: Llama, tokenizer: LLTokenizer | None) -> None:
        import llama_cpp

        self._llama = llama
        self._tokenizer = tokenizer
        vocab = llama_cpp.llama_model_get_vocab(llama._model.model)
        ends = {llama_cpp.llama_vocab_eos(vocab), llama_cpp.llama_vocab_eot(vocab)}
        self._end_tokens = frozenset(t for t in ends if t >= 0)
        self._vocabulary = llama.n_vocab()

    def _logits(self) -> np.ndarray:
        import llama_cpp

        pointer = llama_cpp.llama_get_logits_ith(self._llama._ctx.ctx, -1)
        return np.ctypeslib.as_array(pointer, shape=(self._vocabulary,))

    def _start(self, prompt: list[int], reuse_prefix: bool) -> list[int]:
        """Keep the cached prefix shared with ``prompt``; the prompt tokens left to evaluate
        (at least one: the next token's logits come from evaluating the last)."""
        llama = self._llama
        if len(prompt) >= llama.n_ctx():
            raise InputError(
                f"the prompt ({len(prompt)} tokens) does not fit the local model's context "
                f"window of {llama.n_ctx()} tokens; raise --context-size or --chunk-chars lower"
            )
        shared = 0
        if reuse_prefix:
            for cached, new in zip(llama.input_ids[: llama.n_tokens], prompt, strict=False):
                if cached != new:
                    break
                shared += 1
            shared = min(shared, len(prompt) - 1)
        llama.n_tokens = shared  # eval() drops the KV cache from here on
        return prompt[shared:]

    def run(
        self,
        prompt: list[int],
        grammar: str | None,
        *,
        max_tokens: int,
        label: str = "reply",
        reuse_prefix: bool = True,
        fast_forward: bool = True,
        repeat_penalty: float = 1.0,
        progress: ProgressCallback | None = None,
    ) -> Decoded:
        """Decode a reply to ``prompt`` (token ids of the rendered chat) under ``grammar``
        (llguidance; None: free)."""
        from llguidance import LLMatcher

        llama = self._llama
        matcher = None
        if grammar is not None:
            assert self._tokenizer is not None, "a grammar needs the llguidance tokenizer"
            matcher = LLMatcher(self._tokenizer, grammar, log_level=0)
            if matcher.is_error():
                raise ValueError(f"grammar rejected by llguidance: {matcher.get_error()}")
        pending = self._start(prompt, reuse_prefix)
        evaluated = len(pending)
        room = llama.n_ctx() - len(prompt)
        limit = min(max_tokens, room) if max_tokens else room
        started = last_report = time.perf_counter()
        if progress:
            progress(DecodeStep(label, "prefill", evaluated, 0.0))
        reply: list[int] = []
        decoded = forced = 0
        finish: Literal["stop", "length"] = "length"
        while len(reply) < limit:
            allowed = None
            if matcher is not None:
                ahead = matcher.compute_ff_tokens() if fast_forward else []
                ahead = ahead[: limit - len(reply)]
                if ahead:
                    if not matcher.consume_tokens(ahead):
                        raise RuntimeError(f"llguidance refused its tokens: {matcher.get_error()}")
                    reply += ahead
                    pending += ahead
                    forced += len(ahead)
                if matcher.is_stopped():
                    finish = "stop"
                    break
                allowed = allowed_tokens(matcher, self._vocabulary)
                if not allowed.any():
                    raise RuntimeError(f"the grammar allows no token: {matcher.get_error()}")
                if np.count_nonzero(allowed) == 1 and self._end_tokens & {int(allowed.argmax())}:
                    finish = "stop"  # complete: no need to evaluate what is pending
                    break
                if len(reply) >= limit:
                    break
            llama.eval(pending)
            pending = []
            logits = penalize(self._logits(), reply, repeat_penalty)
            if allowed is not None:
                logits = np.where(allowed, logits, -np.inf)
            token = int(logits.argmax())
            if token in self._end_tokens:
                finish = "stop"
                break
            if matcher is not None and not matcher.consume_token(token):
                raise RuntimeError(f"llguidance refused an allowed token: {matcher.get_error()}")
            reply.append(token)
            pending = [token]
            decoded += 1
            now = time.perf_counter()
            if progress and now - last_report >= PROGRESS_EVERY_S:
                progress(DecodeStep(label, "decode", len(reply), now - started))
                last_report = now
        text = llama.detokenize(reply).decode("utf-8", errors="replace")
        if progress:
            progress(DecodeStep(label, "decode", len(reply), time.perf_counter() - started))
        return Decoded(
            text=text,
            prompt_tokens=len(prompt),
            evaluated_prompt_tokens=evaluated,
            decoded_tokens=decoded,
            forced_tokens=forced,
            finish_reason=finish,
        )
