"""The functions users call: ``summarize``, ``asummarize``, ``extract_events``."""

from __future__ import annotations

import os
from typing import Any

from summarizer.datamodel.errors import ArgumentTypeError, ConfigurationError
from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.schemas import ArticleSummary, EventRecord
from summarizer.datamodel.settings import Settings, load_settings
from summarizer.datamodel.types import Language
from summarizer.inputs import Article, article_request, load_article, read_input
from summarizer.pipeline import Summarizer, run_sync


def _summarizer(settings: Settings | None, overrides: dict[str, Any]) -> Summarizer:
    unknown = sorted(set(overrides) - set(Settings.model_fields))
    if unknown:
        import difflib

        close = difflib.get_close_matches(unknown[0], list(Settings.model_fields), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ConfigurationError(f"unknown setting {unknown[0]!r}{hint}")
    if settings is not None and not isinstance(settings, Settings):
        raise ArgumentTypeError(
            f"settings must be a summarizer.Settings, not {type(settings).__name__}"
        )
    if settings is not None:
        base = {k: v for k, v in settings.model_dump().items() if v is not None}
        return Summarizer(load_settings(**{**base, **overrides}))
    return Summarizer(load_settings(**overrides))


def _request(
    text: str | bytes | os.PathLike[str],
    *,
    language: str | None,
    output_language: str | None,
    title: str | None,
    date: str | None,
) -> ArticleRequest:
    """The request for what the caller passed: a ``str`` is the article; ``bytes`` are read
    like a file (decoded, HTML reduced to its article); a path is read as a file."""
    for name, value in (("title", title), ("date", date)):
        if value is not None and not isinstance(value, str):
            raise ArgumentTypeError(f"{name} must be a str, not {type(value).__name__}")
    for name, value in (("language", language), ("output_language", output_language)):
        if value is not None and not isinstance(value, str):
            raise ArgumentTypeError(
                f"{name} must be 'de', 'en' or None, not {type(value).__name__}"
            )
    if isinstance(text, os.PathLike):
        article = read_input(os.fspath(text))
    elif isinstance(text, bytes | bytearray):
        article = load_article(bytes(text), "the article bytes")
    elif isinstance(text, str):
        article = Article(text)
    else:
        raise ArgumentTypeError(
            f"text must be the article as str (or bytes, or a path to its file), not "
            f"{type(text).__name__}"
        )
    return article_request(
        article.text,
        language=language,  # type: ignore[arg-type]  # checked by article_request
        output_language=output_language,  # type: ignore[arg-type]
        title=title if title is not None else article.title,
        date=date if date is not None else article.date,
    )


async def asummarize(
    text: str | bytes | os.PathLike[str],
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
        text: The article (German or English) as a str; offsets of evidence and quotes index
            it. ``bytes`` or a path (``pathlib.Path``) are read like the CLI reads a file:
            decoded, a saved page reduced to its article (offsets then index that text,
            ``summary.metadata`` keeps none of the bytes).
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
        InputError: empty, too short, or unsupported-language text; a wrong argument type or
            language (:class:`ArgumentTypeError`, also a ``TypeError``, for a type).
        ConfigurationError: invalid settings, or an unknown keyword.
        EndpointError: the endpoint failed after transport retries, or refused the request.
        ModelOutputError: no schema-valid reply after the re-asks (``GroundingError`` in strict
            mode when content stayed ungrounded).
    """
    summarizer = _summarizer(settings, overrides)
    request = _request(
        text, language=language, output_language=output_language, title=title, date=date
    )
    return await summarizer.asummarize(request)


def summarize(
    text: str | bytes | os.PathLike[str],
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
    text: str | bytes | os.PathLike[str],
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
    request = _request(
        text, language=language, output_language=output_language, title=title, date=date
    )
    return await summarizer.aextract_events(request)


def extract_events(
    text: str | bytes | os.PathLike[str],
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
