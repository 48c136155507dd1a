"""Request limits for batch runs (a :class:`~summarizer.transport.RequestGate`): at most N
requests in flight, optional request and token rate limits (aiolimiter's leaky buckets). Every
HTTP attempt passes the gate, re-asks and transport retries included; a request waiting out a
backoff holds no slot."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiolimiter import AsyncLimiter

from summarizer.datamodel.settings import Settings
from summarizer.providers.registry import policy_for
from summarizer.transport import RawCreate

#: Characters per token for the quota estimate (OpenAI's rule of thumb).
CHARS_PER_TOKEN = 4


def estimated_tokens(kwargs: dict[str, Any]) -> int:
    """Tokens a request counts against a tokens-per-minute quota: prompt estimate + max_tokens."""
    prompt_chars = len(json.dumps(kwargs.get("messages", []), ensure_ascii=False))
    extras = {k: kwargs[k] for k in ("tools", "response_format") if k in kwargs}
    prompt_chars += len(json.dumps(extras)) if extras else 0
    return prompt_chars // CHARS_PER_TOKEN + int(kwargs.get("max_tokens") or 0)


class RequestLimits:
    """Concurrency and rate limits shared by every call of one batch run."""

    def __init__(
        self,
        concurrency: int,
        requests_per_minute: float | None = None,
        tokens_per_minute: float | None = None,
        token_bucket_s: float = 60.0,
    ) -> None:
        """``token_bucket_s``: the token bucket holds this many seconds of quota (OpenAI meters
        a minute's worth, refilled continuously); requests are spaced evenly, without a burst."""
        self.concurrency = concurrency
        self._slots = asyncio.Semaphore(concurrency)
        self._requests = AsyncLimiter(1, 60 / requests_per_minute) if requests_per_minute else None
        self._tokens = (
            AsyncLimiter(tokens_per_minute * token_bucket_s / 60, token_bucket_s)
            if tokens_per_minute
            else None
        )

    @classmethod
    def from_settings(cls, settings: Settings, concurrent: bool) -> RequestLimits:
        return cls(
            policy_for(settings).concurrency if concurrent else 1,
            settings.requests_per_minute,
            settings.tokens_per_minute,
        )

    def wrap(self, raw_create: RawCreate) -> RawCreate:
        """``raw_create`` that waits for a slot and for the rate limits before each request."""

        async def gated(*args: Any, **kwargs: Any) -> Any:
            if self._tokens is not None:
                # A request larger than the whole bucket would wait forever: cap it.
                await self._tokens.acquire(min(estimated_tokens(kwargs), self._tokens.max_rate))
            if self._requests is not None:
                await self._requests.acquire()
            async with self._slots:
                return await raw_create(*args, **kwargs)

        return gated
