"""Provider ``openai``: OpenAI itself or any OpenAI-compatible server through a base URL."""

from __future__ import annotations

import asyncio
import functools
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from summarizer.datamodel.errors import ConfigurationError
from summarizer.datamodel.settings import Settings
from summarizer.datamodel.types import Mode
from summarizer.grounding.context import GREEDY_REASK_KINDS
from summarizer.providers.policy import ProviderPolicy

if TYPE_CHECKING:
    import openai
    from openai.types.chat import ChatCompletion

    from summarizer.transport import RawCreate

#: The header the SDK's ``with_raw_response`` sets: ``post()`` then returns the response with
#: its headers, parsed on demand (to name what came back when it is no chat completion).
RAW_RESPONSE_HEADER = "X-Stainless-Raw-Response"
#: Local servers (Ollama, vLLM, llama.cpp, LM Studio) accept any key; the client needs one.
PLACEHOLDER_KEY = "not-needed"
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"


class OpenAICompatibleBackend:
    """Talks HTTP to an OpenAI-compatible ``/chat/completions`` endpoint.

    With ``batch=True`` the client sends its requests through aiohttp (the openai SDK's
    ``DefaultAioHttpClient``) instead of httpx: at high concurrency it needs far less CPU per
    request (measured in ``benchmarks/batch_throughput.py``). Its sessions must be closed
    inside their event loop, so only callers that call :meth:`aclose` (batch runs) use it.

    Requests go through the client's documented ``post()`` rather than
    ``chat.completions.create()``; see :func:`post_chat_completion`.
    """

    name = "openai"
    concurrent = True

    @classmethod
    def policy(cls, settings: Settings) -> ProviderPolicy:
        """OpenAI's API gets tool calls; a server at a base URL is probed once (``auto``).
        Full schemas (a large model follows them), two re-asks, 16 requests in flight."""
        return ProviderPolicy(
            model=DEFAULT_OPENAI_MODEL,
            mode=Mode.tools if settings.base_url is None else Mode.auto,
            probes=True,
        )

    def __init__(self, settings: Settings, *, batch: bool = False) -> None:
        if settings.api_key is None and settings.base_url is None:
            raise ConfigurationError(
                "provider 'openai' needs OPENAI_API_KEY, or a base URL (--base-url or "
                "OPENAI_BASE_URL) for a local server such as Ollama or vLLM"
            )
        self._settings = settings
        self._batch = batch
        policy = self.policy(settings).under(settings)
        self.model = policy.model
        #: Mode auto: the server is probed on first use, which also decides the policy served.
        self._probes = policy.mode is Mode.auto
        self._mode: Mode | None = None if self._probes else policy.mode
        self._adapt: list[str] = []
        self._json_object_schema = False
        self._string_rules = False
        self._client: openai.AsyncOpenAI | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def mode_name(self) -> Mode:
        """The mode; ``auto`` is resolved on first use from the server's probe (cached per base
        URL and model), which also says how to adapt schemas to the server."""
        if self._mode is None:
            from summarizer.providers.probe import server_report

            report = server_report(self._settings)
            assert report.mode is not None
            self._mode = report.mode
            self._adapt = list(report.adapt)
            self._json_object_schema = report.json_object_schema
            # per-article constraints, as served_policy() decides
            honoured = report.honours_constraints
            self._string_rules = honoured and self._settings.constrain is not False
        return self._mode

    def served_policy(self, policy: ProviderPolicy) -> ProviderPolicy:
        """``policy`` once the server is known. A server whose probe found that it constrains
        every feature the per-article schemas use (mode ``auto``, the default for a base URL)
        is served as the in-process model is: per-article constrained schemas sent with the
        in-process string rules (:func:`~summarizer.constrained.server.server_schema`), the
        guided pipeline, and one re-ask, only for a text in the wrong language (a constrained
        reply is repaired, not asked again) - each unless the settings say otherwise. A large
        model may do better with the full schemas: ``constrain: false`` / ``guided: false``."""
        settings = self._settings
        if not self._probes:
            return policy
        self.mode_name  # noqa: B018  # probe (or read the cached probe) now
        if not self._string_rules:
            return policy
        return replace(
            policy,
            constrain=True,
            guided=True if settings.guided is None else settings.guided,
            max_reasks=1 if settings.max_reasks is None else settings.max_reasks,
            reask_kinds=GREEDY_REASK_KINDS,
        )

    async def aclose(self) -> None:
        """Close the HTTP client (inside its event loop, before that loop ends)."""
        if self._client is not None and self._loop is asyncio.get_running_loop():
            await self._client.close()
        self._client = self._loop = None

    def raw_create(self) -> RawCreate:
        """A chat-completion call; one client per event loop (HTTP pools are loop-bound)."""
        import openai

        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            key = self._settings.api_key
            self._client = openai.AsyncOpenAI(
                api_key=key.get_secret_value() if key else PLACEHOLDER_KEY,
                base_url=self._settings.base_url,
                timeout=self._settings.resolved_timeout_s,
                max_retries=0,  # tenacity owns retries (summarizer.transport)
                http_client=(
                    openai.DefaultAioHttpClient(timeout=self._settings.resolved_timeout_s)
                    if self._batch
                    else None
                ),
            )
            self._loop = loop
        if self._settings.base_url is None:  # OpenAI's own API: the schemas as they are
            return functools.partial(post_openai, self._client)
        self.mode_name  # noqa: B018  # resolve auto (and the adaptations) before the first request
        return functools.partial(
            post_adapted,
            self._client,
            self._adapt,
            self._json_object_schema,
            self._string_rules,
        )


async def post_adapted(
    client: openai.AsyncOpenAI,
    adapt: list[str],
    json_object_schema: bool,
    string_rules: bool,
    **params: Any,
) -> ChatCompletion:
    """:func:`post_chat_completion` with the schemas made compilable for a server other than
    OpenAI's, constrained as in-process where the server honours it
    (:mod:`summarizer.constrained.server`)."""
    from summarizer.constrained.server import server_request

    sent = server_request(params, adapt, json_object_schema, string_rules)
    return await post_chat_completion(client, **sent)


async def post_openai(client: openai.AsyncOpenAI, **params: Any) -> ChatCompletion:
    """:func:`post_chat_completion` to OpenAI's own API (schemas less our declarations)."""
    from summarizer.constrained.server import openai_request

    return await post_chat_completion(client, **openai_request(params))


async def post_chat_completion(client: openai.AsyncOpenAI, **params: Any) -> ChatCompletion:
    """``POST /chat/completions`` with ``params`` as the JSON body, parsed as a ``ChatCompletion``.

    A 200 reply that is not a chat completion (a proxy's HTML page, truncated JSON) is an
    :class:`EndpointError` naming its content type and first bytes: not retried, not re-asked.

    This is the SDK's documented way to send a request by hand (``client.post``): base URL, API
    key, headers and timeout apply exactly as for ``chat.completions.create()``. What ``create()``
    adds first is a walk of every parameter against the SDK's TypedDicts to rename aliased keys
    and format dates and files; instructor's parameters (messages, model, schema, sampling
    options) are plain JSON with none of those, and at concurrency 64 that walk was 14 % of a
    batch's CPU (``benchmarks/batch_throughput.py``).
    """
    from openai.types.chat import ChatCompletion

    from summarizer.transport import parsed_completion

    raw = await client.post(
        "/chat/completions",
        body=params,
        cast_to=ChatCompletion,
        options={"headers": {RAW_RESPONSE_HEADER: "true"}},
    )
    return parsed_completion(raw, str(client.base_url))
