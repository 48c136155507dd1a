"""One validated settings object: arguments, then environment variables, then defaults.

Environment variables: ``OPENAI_API_KEY``, ``OPENAI_BASE_URL`` (or ``SUMMARIZER_API_KEY`` and
``SUMMARIZER_BASE_URL``), and ``SUMMARIZER_<FIELD>`` for every other field, e.g.
``SUMMARIZER_MODEL``, ``SUMMARIZER_PROVIDER``, ``SUMMARIZER_MODE``, ``SUMMARIZER_LOCAL_MODEL``.
Nothing else in the package reads the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from summarizer.datamodel.errors import ConfigurationError
from summarizer.datamodel.types import Mode

#: Default request timeouts: a hosted API answers within seconds; a server on this machine or
#: the local network is as fast as its hardware (llama-cpp-python's server with the embedded
#: model on 2 cores needs minutes for one reply).
REMOTE_TIMEOUT_S = 120.0
NEARBY_TIMEOUT_S = 900.0


def is_nearby(base_url: str | None) -> bool:
    """Whether ``base_url`` names this machine or a private network address."""
    import ipaddress
    from urllib.parse import urlsplit

    if not base_url:
        return False
    host = urlsplit(base_url).hostname or ""
    if host == "localhost" or host.endswith((".local", ".internal", ".lan")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


class Settings(BaseSettings):
    """Every knob of the library, validated."""

    model_config = SettingsConfigDict(
        env_prefix="SUMMARIZER_", extra="ignore", populate_by_name=True, frozen=True
    )

    provider: str | None = Field(
        default=None,
        min_length=1,
        description="openai (any OpenAI-compatible endpoint), local (the embedded model), "
        "lead (first-sentences baseline), or an installed plugin (the eval harness's oracle: "
        "gold labels as predictions). Default: openai when an API key or base URL is set, "
        "else local. Each provider declares its own defaults for the fields below that say "
        "'Default: the provider's'.",
    )
    model: str | None = Field(default=None, description="Model name sent to the endpoint.")
    base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("base_url", "SUMMARIZER_BASE_URL", "OPENAI_BASE_URL"),
        description="Base URL of an OpenAI-compatible server (Ollama, vLLM, llama.cpp, ...).",
    )
    api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("api_key", "SUMMARIZER_API_KEY", "OPENAI_API_KEY"),
    )
    mode: Mode | None = Field(
        default=None,
        description="instructor mode. Default: the provider's (tools for api.openai.com, auto - "
        "probe the server once, cached - for a base URL, json_schema for the local model).",
    )
    max_reasks: int | None = Field(
        default=None,
        ge=0,
        le=10,
        description="Validation re-asks per call. Default: the provider's (2; 1 for the local "
        "provider: a small greedy model mostly repeats its answer, at a minute per re-ask).",
    )
    strict: bool = Field(
        default=False, description="Raise instead of dropping what stays ungrounded."
    )
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(default=2048, ge=64, description="Completion token limit per call.")
    timeout_s: float | None = Field(
        default=None,
        gt=0,
        description="Seconds one HTTP request may wait for its reply (a timed-out request is "
        f"not sent again). Default: {REMOTE_TIMEOUT_S:g} for a remote endpoint, "
        f"{NEARBY_TIMEOUT_S:g} for a server on this machine or a private network (a CPU "
        "server takes minutes per reply).",
    )
    transport_attempts: int = Field(default=5, ge=1, le=20, description="Tries per request.")
    transport_deadline_s: float = Field(
        default=300.0, gt=0, description="No new transport retry starts after this many seconds."
    )
    backoff_initial_s: float = Field(default=1.0, ge=0)
    backoff_max_s: float = Field(default=30.0, ge=0)
    retry_after_max_s: float = Field(
        default=60.0, ge=0, description="Longest server-requested (Retry-After) wait honoured."
    )
    local_model: Path | None = Field(
        default=None, description="GGUF file for the local provider (default: embedded model)."
    )
    threads: int | None = Field(default=None, ge=1, description="CPU threads (local provider).")
    context_size: int = Field(default=8192, ge=512, description="Context window (local).")
    constrain: bool | None = Field(
        default=None,
        description="Per-article schemas: evidence must be one of the article's sentences, "
        "quotes one of its quoted passages, lists capped. Default: the provider's (on for the "
        "local provider).",
    )
    extractive: bool | None = Field(
        default=None,
        description="Constrained schemas, same-language output: key points and summary are "
        "article sentences the model picks (it writes only the headline and descriptions). "
        "Default: off (see the README for the measured comparison).",
    )
    guided: bool | None = Field(
        default=None,
        description="Constrained schemas: the guided pipeline - quotes, sources and event "
        "records read by rules, the model writing short sentences about the chosen ones. "
        "Default: the provider's (on for the local provider); off gives the one-call-per-task "
        "pipeline (see the README for the measured comparison).",
    )
    sentence_ids: bool = Field(
        default=True,
        description="Constrained schemas: the prompt shows an id next to each article sentence "
        "and quoted passage, and the model names evidence and quotes by id instead of copying "
        "them (see the README for the measured comparison).",
    )
    prefix_cache: bool = Field(
        default=True,
        description="Local provider: reuse the KV cache of the prompt prefix shared with the "
        "previous call (the static system prompt). Off only to measure what it saves.",
    )
    fast_forward: bool = Field(
        default=True,
        description="Local provider: tokens the grammar forces (keys, separators, the rest of an "
        "enum value) are evaluated in batches, not decoded one by one. Off only to measure it.",
    )
    repeat_penalty: float = Field(
        default=1.0, ge=1.0, le=2.0, description="Repetition penalty (local provider)."
    )
    chunk_chars: int | None = Field(
        default=None,
        ge=2000,
        description="Articles longer than this many characters are summarized in overlapping "
        "parts and merged. Default: what fits the local context window next to the prompt and "
        "the reply; 60,000 for an endpoint (the provider's).",
    )
    concurrency: int | None = Field(
        default=None,
        ge=1,
        le=1024,
        description="Batch: requests in flight at once. Default: the provider's (16 for an "
        "endpoint, 1 for the in-process model).",
    )
    requests_per_minute: float | None = Field(
        default=None, gt=0, description="Batch: request rate limit (stay inside an API quota)."
    )
    tokens_per_minute: float | None = Field(
        default=None,
        gt=0,
        description="Batch: token rate limit; a request counts its prompt estimate "
        "(characters / 4) plus max_tokens, as OpenAI's quota does.",
    )
    price_input_per_mtok: float | None = Field(
        default=None, ge=0, description="USD per million prompt tokens (for the cost estimate)."
    )
    price_output_per_mtok: float | None = Field(
        default=None, ge=0, description="USD per million completion tokens."
    )
    cache_dir: Path | None = Field(
        default=None, description="Where the joined embedded model (and caches) live."
    )

    @field_validator("base_url")
    @classmethod
    def _a_url(cls, value: str | None) -> str | None:
        from urllib.parse import urlsplit

        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            hint = f"http://{value.strip()}" if "://" not in value else "http://host:port/v1"
            raise ValueError(f"{value!r} is not an http(s) URL; add the scheme, e.g. {hint}")
        return value.strip()

    @property
    def resolved_timeout_s(self) -> float:
        """The request timeout: the one set, else by where the server is (see ``timeout_s``)."""
        if self.timeout_s is not None:
            return self.timeout_s
        return NEARBY_TIMEOUT_S if is_nearby(self.base_url) else REMOTE_TIMEOUT_S

    @property
    def resolved_provider(self) -> str:
        """The provider named, or the default: an endpoint when one is configured (a key or a
        base URL), else the embedded model."""
        if self.provider is not None:
            return self.provider
        return "openai" if (self.api_key or self.base_url) else "local"

    @property
    def resolved_cache_dir(self) -> Path:
        if self.cache_dir is not None:
            return self.cache_dir
        import platformdirs

        return Path(platformdirs.user_cache_dir("summarizer"))

    def secret_values(self) -> list[str]:
        """Strings that must never appear in messages, logs or files."""
        key = self.api_key.get_secret_value() if self.api_key else ""
        return [key] if len(key) >= 4 else []


def load_settings(**overrides: Any) -> Settings:
    """Build settings from explicit arguments (``None`` means 'not given') and the environment."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        settings = Settings(**given)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigurationError(f"invalid settings: {problems}") from None
    from summarizer.datamodel.redact import register_secret

    for secret in settings.secret_values():
        register_secret(secret)
    return settings
