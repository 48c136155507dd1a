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
    from summarizer.errors import (
        AuthenticationError,
        ConfigurationError,
        EndpointError,
        GroundingError,
        InputError,
        ModelOutputError,
        SummarizerError,
    )
    from summarizer.pipeline import Summarizer
    from summarizer.schemas import ArticleSummary, EventRecord, RunMetadata
    from summarizer.settings import Settings

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "summarize": "summarizer.api",
    "asummarize": "summarizer.api",
    "extract_events": "summarizer.api",
    "aextract_events": "summarizer.api",
    "Summarizer": "summarizer.pipeline",
    "Settings": "summarizer.settings",
    "ArticleSummary": "summarizer.schemas",
    "EventRecord": "summarizer.schemas",
    "RunMetadata": "summarizer.schemas",
    "SummarizerError": "summarizer.errors",
    "InputError": "summarizer.errors",
    "ConfigurationError": "summarizer.errors",
    "EndpointError": "summarizer.errors",
    "AuthenticationError": "summarizer.errors",
    "ModelOutputError": "summarizer.errors",
    "GroundingError": "summarizer.errors",
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
    "SummarizerError",
    "InputError",
    "ConfigurationError",
    "EndpointError",
    "AuthenticationError",
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
