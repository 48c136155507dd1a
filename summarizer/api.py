"""The functions users call: ``summarize``, ``asummarize``, ``extract_events``."""

from __future__ import annotations

from typing import Any

from summarizer.datamodel.schemas import ArticleSummary, EventRecord
from summarizer.datamodel.settings import Settings, load_settings
from summarizer.datamodel.types import Language
from summarizer.inputs import article_request
from summarizer.pipeline import Summarizer, run_sync


def _summarizer(settings: Settings | None, overrides: dict[str, Any]) -> Summarizer:
    if settings is not None:
        base = {k: v for k, v in settings.model_dump().items() if v is not None}
        return Summarizer(load_settings(**{**base, **overrides}))
    return Summarizer(load_settings(**overrides))


async def asummarize(
    text: str,
    *,
    output_language: Language | None = None,
    language: Language | None = None,
    title: str | None = None,
    date: str | None = None,
    settings: Settings | None = None,
    **overrides: Any,
) -> ArticleSummary:
    """Summarize one article into a validated, grounded :class:`ArticleSummary`.

    Args:
        text: The article (German or English). Offsets of evidence and quotes index this string.
        output_language: ``"de"`` or ``"en"``; default: the article's language.
        language: The article's language, when detection should be skipped.
        title: The headline the article was published under, if it is not part of ``text``.
        date: The article's publication date (any format, e.g. ``2024-03-05``): the model
            dates the events with it. Headline and date are context for the model; evidence
            comes from ``text`` alone, but numbers in the summary may come from them.
        settings: A :class:`Settings`; default: built from the environment.
        **overrides: Settings fields for this call, e.g. ``provider="openai"``, ``model=...``,
            ``base_url=...``, ``mode="json_schema"``, ``strict=True``, ``max_reasks=3``.

    Returns:
        The summary; ``summary.metadata`` says how it was made (model, prompt version, tokens,
        latency, re-asks, retries, and warnings about anything dropped as ungrounded).

    Raises:
        InputError: empty, too short, or unsupported-language text.
        ConfigurationError: invalid settings.
        EndpointError: the endpoint failed after transport retries, or refused the request.
        ModelOutputError: no schema-valid reply after the re-asks (``GroundingError`` in strict
            mode when content stayed ungrounded).
    """
    summarizer = _summarizer(settings, overrides)
    request = article_request(
        text, language=language, output_language=output_language, title=title, date=date
    )
    return await summarizer.asummarize(request)


def summarize(
    text: str,
    *,
    output_language: Language | None = None,
    language: Language | None = None,
    title: str | None = None,
    date: str | None = None,
    settings: Settings | None = None,
    **overrides: Any,
) -> ArticleSummary:
    """Blocking twin of :func:`asummarize` (safe to call inside a running event loop too)."""
    return run_sync(
        asummarize(
            text,
            output_language=output_language,
            language=language,
            title=title,
            date=date,
            settings=settings,
            **overrides,
        )
    )


async def aextract_events(
    text: str,
    *,
    output_language: Language | None = None,
    language: Language | None = None,
    title: str | None = None,
    date: str | None = None,
    settings: Settings | None = None,
    **overrides: Any,
) -> list[EventRecord]:
    """Extract the grounded :class:`EventRecord` list of one article (the events call alone;
    a long article in parts, as :func:`asummarize` splits it)."""
    summarizer = _summarizer(settings, overrides)
    request = article_request(
        text, language=language, output_language=output_language, title=title, date=date
    )
    return await summarizer.aextract_events(request)


def extract_events(
    text: str,
    *,
    output_language: Language | None = None,
    language: Language | None = None,
    title: str | None = None,
    date: str | None = None,
    settings: Settings | None = None,
    **overrides: Any,
) -> list[EventRecord]:
    """Blocking twin of :func:`aextract_events`."""
    return run_sync(
        aextract_events(
            text,
            output_language=output_language,
            language=language,
            title=title,
            date=date,
            settings=settings,
            **overrides,
        )
    )
