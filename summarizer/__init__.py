"""Structured, source-grounded summaries and event records of German and English news.

Public API::

    from summarizer import summarize, asummarize, extract_events

    summary = summarize(text, output_language="en")
    summary.headline, summary.key_points[0].evidence.start, summary.metadata.prompt_version

Attributes are imported lazily so that ``summarizer --help`` starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from summarizer.api import aextract_events, asummarize, extract_events, summarize
    from summarizer.core.errors import (
        AuthenticationError,
        ConfigurationError,
        EndpointError,
        GroundingError,
        InputError,
        ModelOutputError,
        RequestRejectedError,
        SummarizerError,
        UnreachableError,
    )
    from summarizer.core.issues import GroundingIssue
    from summarizer.core.request import ArticleRequest
    from summarizer.core.schemas import ArticleSummary, EventRecord, RunMetadata
    from summarizer.core.settings import Settings
    from summarizer.pipeline import Summarizer

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "summarize": "summarizer.api",
    "asummarize": "summarizer.api",
    "extract_events": "summarizer.api",
    "aextract_events": "summarizer.api",
    "Summarizer": "summarizer.pipeline",
    "Settings": "summarizer.core.settings",
    "ArticleSummary": "summarizer.core.schemas",
    "EventRecord": "summarizer.core.schemas",
    "RunMetadata": "summarizer.core.schemas",
    "ArticleRequest": "summarizer.core.request",
    "GroundingIssue": "summarizer.core.issues",
    "SummarizerError": "summarizer.core.errors",
    "InputError": "summarizer.core.errors",
    "ConfigurationError": "summarizer.core.errors",
    "EndpointError": "summarizer.core.errors",
    "AuthenticationError": "summarizer.core.errors",
    "RequestRejectedError": "summarizer.core.errors",
    "UnreachableError": "summarizer.core.errors",
    "ModelOutputError": "summarizer.core.errors",
    "GroundingError": "summarizer.core.errors",
}

__all__ = [  # noqa: RUF022 - grouped like _EXPORTS
    "summarize",
    "asummarize",
    "extract_events",
    "aextract_events",
    "Summarizer",
    "Settings",
    "ArticleSummary",
    "EventRecord",
    "RunMetadata",
    "ArticleRequest",
    "GroundingIssue",
    "SummarizerError",
    "InputError",
    "ConfigurationError",
    "EndpointError",
    "AuthenticationError",
    "RequestRejectedError",
    "UnreachableError",
    "ModelOutputError",
    "GroundingError",
    "__version__",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'summarizer' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
