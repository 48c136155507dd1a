"""Sentences of the article's language translated into the other output language, checked.

The guided pipeline writes its sentences in the article's language first (restated, each
checked against its article sentence, the article's sentence kept where a restatement fails),
then translates them, one call per sentence and one for the headline. A 1.5B model asked to
restate and translate at once lost facts and copied the article's language, and one asked to
translate a numbered list in one reply repeated its earlier answers (measured, README); one
sentence at a time is the smallest task.

Each translation is checked against the *article* sentence it is about (the cross-lingual
support check, the figures it states, a whole sentence). One left in the article's language
is asked for once more; one that still fails is kept flagged, and the summary leaves it out.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from pydantic import BaseModel, Field, create_model

from summarizer.constrained.kinds import PATTERNS, TextKind, declared
from summarizer.datamodel.issues import GroundingIssue, IssueAction
from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.settings import Settings
from summarizer.datamodel.types import LANGUAGE_NAMES, Language
from summarizer.grounding.quality import wrong_language
from summarizer.pipeline.calls import CallReport, instructor_call
from summarizer.pipeline.restated import (
    HEADLINE_CHARS,
    SENTENCE_CHARS,
    checked_headline,
    sentence_fault,
)
from summarizer.prompts import render_messages
from summarizer.providers.base import Backend
from summarizer.transport import RequestGate

#: A translation may be this much longer than its original (German runs longer than English).
LENGTH_FACTOR = 1.5
#: "1, 200" and "2, 25": a number the model split after its separator.
_SPLIT_NUMBER = re.compile(r"\b(\d+), (\d+)\b")
_THOUSANDS: dict[Language, str] = {"en": ",", "de": "."}
_DECIMAL: dict[Language, str] = {"en": ".", "de": ","}


def joined_numbers(text: str, original: str, source: Language, target: Language) -> str:
    """``text`` (in ``target``) with each number the model split after its separator ("1,
    200", "2, 25") joined again where ``original`` (in ``source``) writes that number, with
    ``target``'s separator for it ("1.200" -> "1,200", "2.25" -> "2,25")."""

    def joined(match: re.Match[str]) -> str:
        head, tail = match.group(1), match.group(2)
        for separator in ",.":
            if f"{head}{separator}{tail}" in original:
                thousands = separator == _THOUSANDS[source] and len(tail) == 3
                return f"{head}{(_THOUSANDS if thousands else _DECIMAL)[target]}{tail}"
        return match.group(0)

    return _SPLIT_NUMBER.sub(joined, text)


def translation_model(chars: int, sentence: bool) -> type[BaseModel]:
    """``{"translation": ...}``: one sentence of at most ``chars`` characters (``sentence``),
    or a headline."""
    if sentence:
        extra: dict[str, Any] = {
            "pattern": PATTERNS[TextKind.sentence],
            "json_schema_extra": declared(TextKind.sentence),
        }
        field: Any = (str, Field(min_length=1, max_length=chars, **extra))
    else:
        field = (str, Field(min_length=1, max_length=HEADLINE_CHARS))
    return create_model("Translated", translation=field)


async def translated(
    request: ArticleRequest,
    sources: list[str],
    originals: list[str],
    headline: str,
    names: frozenset[str],
    backend: Backend,
    settings: Settings,
    gate: RequestGate | None = None,
) -> tuple[list[str], str, CallReport, set[int]]:
    """``originals`` (sentences in the article's language, each about the article sentence
    ``sources[i]``) and ``headline`` translated into ``request.output_language``; the
    bookkeeping; and the indexes of translations kept only flagged. The headline is empty where
    its translation fails."""
    if not originals:
        return [], "", CallReport(), set()
    asks = [_translation(request, text, False, backend, settings, gate) for text in originals]
    if headline:
        asks.append(_translation(request, headline, True, backend, settings, gate))
    replies = await asyncio.gather(*asks)
    report = CallReport()
    for _, call in replies:
        report = report.merge(call)
    result = [text for text, _ in replies[: len(originals)]]
    flagged = set()
    for number, (source, text) in enumerate(zip(sources, result, strict=True), start=1):
        fault = sentence_fault(text, source, request, names)
        if fault is None:
            continue
        flagged.add(number - 1)
        report.issues.append(
            GroundingIssue(
                kind=fault,
                action=IssueAction.flagged,
                where=f"translate.s{number}",
                text=text,
                detail="the translated sentence does not follow from its source sentence, "
                "leaves out its figures, is a fragment or is in the wrong language",
                task="translate",
            )
        )
    written = (
        checked_headline(
            replies[len(originals)][0],
            headline,
            request,
            names,
            report,
            task="translate",
            detail="the translated headline does not follow from the headline; the translated "
            "lead was used",
        )
        if headline
        else ""
    )
    return result, written, report, flagged


async def _translation(
    request: ArticleRequest,
    text: str,
    headline: bool,
    backend: Backend,
    settings: Settings,
    gate: RequestGate | None,
) -> tuple[str, CallReport]:
    """``text`` (a sentence, or the ``headline``) translated; asked for once more when the
    reply is in the article's language."""
    model = translation_model(max(SENTENCE_CHARS, round(LENGTH_FACTOR * len(text))), not headline)
    messages = (
        render_messages("translate", request, headline=text)
        if headline
        else render_messages("translate", request, sentences=(text,))
    )
    reply, report = await instructor_call(
        "translate", messages, model, backend, settings, max_reasks=0, gate=gate
    )

    def read(reply: BaseModel) -> str:
        written = str(getattr(reply, "translation", "")).strip()
        return joined_numbers(written, text, request.language, request.output_language)

    written = read(reply)
    if wrong_language(written, request.output_language) is None:
        return written, report
    language = LANGUAGE_NAMES[request.output_language]
    again, again_report = await instructor_call(
        "translate",
        [
            *messages,
            {"role": "assistant", "content": reply.model_dump_json()},
            {
                "role": "user",
                "content": f"That is not {language}. Translate it into {language}; "
                "do not copy the original's words.",
            },
        ],
        model,
        backend,
        settings,
        max_reasks=0,
        gate=gate,
    )
    return read(again), report.merge(again_report)
