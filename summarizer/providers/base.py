"""The two interfaces a provider implements: an LLM endpoint that instructor drives
(:class:`Backend`), or a builder of whole summaries without an LLM (:class:`DirectBackend`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from summarizer.datamodel.request import ArticleRequest
    from summarizer.datamodel.schemas import ArticleSummary
    from summarizer.datamodel.types import Mode
    from summarizer.transport import RawCreate


class Backend(Protocol):
    """A chat-completion endpoint that instructor drives.

    ``raw_create`` returns an async function with the signature and return type of
    ``openai.AsyncOpenAI().chat.completions.create``; instructor patches it for structured
    output and :mod:`summarizer.transport` wraps it with retries.
    """

    name: str
    model: str
    mode_name: Mode
    #: True when independent calls may run at the same time (remote servers); False for an
    #: in-process model that serves one request at a time.
    concurrent: bool

    def raw_create(self) -> RawCreate: ...


@runtime_checkable
class DirectBackend(Protocol):
    """A provider that builds the summary itself, without an LLM (the lead baseline, and the
    eval harness's oracle). It runs through the same pipeline, harness and CLI as the LLM
    providers."""

    name: str
    model: str
    mode_name: str
    concurrent: bool

    def build_summary(self, request: ArticleRequest) -> ArticleSummary: ...
