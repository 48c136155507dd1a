"""The one interface every LLM provider implements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import instructor

    from summarizer.schemas import ArticleSummary, LanguageCode
    from summarizer.settings import ModeName
    from summarizer.transport import RawCreate


def instructor_mode(name: ModeName) -> instructor.Mode:
    """Map a settings mode name to instructor's enum."""
    from instructor import Mode

    return {
        "tools": Mode.TOOLS,
        "json_schema": Mode.JSON_SCHEMA,
        "json": Mode.JSON,
        "md_json": Mode.MD_JSON,
    }[name]


class Backend(Protocol):
    """A chat-completion endpoint that instructor drives.

    ``raw_create`` returns an async function with the signature and return type of
    ``openai.AsyncOpenAI().chat.completions.create``; instructor patches it for structured
    output and :mod:`summarizer.transport` wraps it with retries.
    """

    name: str
    model: str
    mode_name: ModeName
    #: True when independent calls may run at the same time (remote servers); False for an
    #: in-process model that serves one request at a time.
    concurrent: bool

    def raw_create(self) -> RawCreate: ...


@runtime_checkable
class DirectBackend(Protocol):
    """A provider that builds the summary itself, without an LLM (the oracle and the lead
    baseline). It runs through the same pipeline, harness and CLI as the LLM providers."""

    name: str
    model: str
    mode_name: str
    concurrent: bool

    def build_summary(
        self, text: str, language: LanguageCode, output_language: LanguageCode
    ) -> ArticleSummary: ...
