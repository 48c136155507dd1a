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
    from summarizer.datamodel.errors import (
        ArgumentTypeError,
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
    from summarizer.datamodel.issues import GroundingIssue
    from summarizer.datamodel.request import ArticleRequest
    from summarizer.datamodel.schemas import ArticleSummary, EventRecord, RunMetadata
    from summarizer.datamodel.settings import Settings
    from summarizer.inputs import article_request
    from summarizer.pipeline import Summarizer

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "summarize": "summarizer.api",
    "asummarize": "summarizer.api",
    "extract_events": "summarizer.api",
    "aextract_events": "summarizer.api",
    "Summarizer": "summarizer.pipeline",
    "Settings": "summarizer.datamodel.settings",
    "ArticleSummary": "summarizer.datamodel.schemas",
    "EventRecord": "summarizer.datamodel.schemas",
    "RunMetadata": "summarizer.datamodel.schemas",
    "ArticleRequest": "summarizer.datamodel.request",
    "article_request": "summarizer.inputs",
    "GroundingIssue": "summarizer.datamodel.issues",
    "SummarizerError": "summarizer.datamodel.errors",
    "InputError": "summarizer.datamodel.errors",
    "ArgumentTypeError": "summarizer.datamodel.errors",
    "ConfigurationError": "summarizer.datamodel.errors",
    "EndpointError": "summarizer.datamodel.errors",
    "AuthenticationError": "summarizer.datamodel.errors",
    "RequestRejectedError": "summarizer.datamodel.errors",
    "UnreachableError": "summarizer.datamodel.errors",
    "ModelOutputError": "summarizer.datamodel.errors",
    "GroundingError": "summarizer.datamodel.errors",
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
    "article_request",
    "GroundingIssue",
    "SummarizerError",
    "InputError",
    "ArgumentTypeError",
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
