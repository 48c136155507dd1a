"""Provider ``openai``: OpenAI itself or any OpenAI-compatible server through a base URL."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from summarizer.errors import ConfigurationError
from summarizer.settings import Settings

if TYPE_CHECKING:
    import openai

    from summarizer.transport import RawCreate

#: Local servers (Ollama, vLLM, llama.cpp, LM Studio) accept any key; the client needs one.
PLACEHOLDER_KEY = "not-needed"


class OpenAICompatibleBackend:
    """Talks HTTP to an OpenAI-compatible ``/chat/completions`` endpoint.

    With ``batch=True`` the client sends its requests through aiohttp (the openai SDK's
    ``DefaultAioHttpClient``) instead of httpx: at high concurrency it needs far less CPU per
    request (measured in ``benchmarks/batch_throughput.py``). Its sessions must be closed
    inside their event loop, so only callers that call :meth:`aclose` (batch runs) use it.
    """

    name = "openai"
    concurrent = True

    def __init__(self, settings: Settings, *, batch: bool = False) -> None:
        if settings.api_key is None and settings.base_url is None:
            raise ConfigurationError(
                "provider 'openai' needs OPENAI_API_KEY, or a base URL (--base-url or "
                "OPENAI_BASE_URL) for a local server such as Ollama or vLLM"
            )
        self._settings = settings
        self._batch = batch
        self.model = settings.resolved_model
        self.mode_name = settings.resolved_mode
        self._client: openai.AsyncOpenAI | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def aclose(self) -> None:
        """Close the HTTP client (inside its event loop, before that loop ends)."""
        if self._client is not None and self._loop is asyncio.get_running_loop():
            await self._client.close()
        self._client = self._loop = None

    def raw_create(self) -> RawCreate:
        """The client's create method; one client per event loop (httpx pools are loop-bound)."""
        import openai

        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            key = self._settings.api_key
            self._client = openai.AsyncOpenAI(
                api_key=key.get_secret_value() if key else PLACEHOLDER_KEY,
                base_url=self._settings.base_url,
                timeout=self._settings.timeout_s,
                max_retries=0,  # tenacity owns retries (summarizer.transport)
                http_client=(
                    openai.DefaultAioHttpClient(timeout=self._settings.timeout_s)
                    if self._batch
                    else None
                ),
            )
            self._loop = loop
        return self._client.chat.completions.create
