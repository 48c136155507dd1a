"""A headline translated into the other output language, checked, and translated again in its
parts where the whole fails.

A translated headline is checked as a restated one is
(:func:`~summarizer.pipeline.restated.headline_fault`: the support check against the
article's headline, no country the article does not name) and more: it keeps every country
its original names (:func:`~summarizer.text.countries.countries_changed`: "Südsulanda" for
"southern Peru") and each direction its original states
(:func:`~summarizer.text.direction.loses_direction`: "Gewinn bricht ein" is not "profit
rises"). One that fails is translated again in its two parts (at its dash, colon or comma), a
smaller task that changes what a greedy model writes, and the parts that pass are the headline.
"""

from __future__ import annotations

import asyncio
import re
from typing import Protocol

from summarizer.datamodel.issues import IssueKind
from summarizer.datamodel.request import ArticleRequest
from summarizer.pipeline.calls import CallReport
from summarizer.pipeline.restated import headline_fault, recorded_headline
from summarizer.text.countries import countries_changed
from summarizer.text.direction import loses_direction

#: Where a headline has two parts, in this order: "Velmar streicht Stellen – Gewinn bricht
#: ein", "BGH: ...", "Strong quake hits southern Peru, twelve dead".
_HEADLINE_JOINTS = (re.compile(r"\s[–—-]\s|:\s"), re.compile(r",\s"))


class Translates(Protocol):
    """What a headline's translation needs of the translator: its request and names, the
    report its corrections go to, and one translate call."""

    request: ArticleRequest
    names: frozenset[str]
    report: CallReport

    async def one(self, text: str, headline: bool = False) -> str: ...


def translated_headline_fault(
    text: str, original: str, request: ArticleRequest, names: frozenset[str]
) -> IssueKind | None:
    """None when ``text`` may stand for the headline ``original`` (module docstring); else
    what is wrong."""
    kind = headline_fault(text, original, request, names)
    if kind is None and (countries_changed(original, text) or loses_direction(text, original)):
        return IssueKind.unsupported
    return kind


def headline_parts(headline: str) -> tuple[str, str, str] | None:
    """``headline``'s two parts and what joins them (" – ", ": ", ", "), cut at its first dash
    or colon between words, else at its first comma; None where it has none."""
    for joint in _HEADLINE_JOINTS:
        match = joint.search(headline)
        if match is None:
            continue
        first, second = headline[: match.start()].strip(), headline[match.end() :].strip()
        if first and second:
            return first, match.group(0), second
    return None


async def translated_headline(
    translator: Translates, original: str
) -> tuple[str, IssueKind | None]:
    """The headline ``original`` translated (its full stop dropped), and what is wrong with it
    (:func:`translated_headline_fault`). One that fails is translated again in its two parts
    (:func:`headline_parts`); the parts that pass are joined as they were ("Carmaker Velmar
    cuts 2,000 jobs" where "Gewinn bricht ein" became "profit rises"), the refused whole
    recorded as corrected in ``translator.report``."""
    request, names = translator.request, translator.names
    written = (await translator.one(original, headline=True)).strip().rstrip(".")
    fault = translated_headline_fault(written, original, request, names)
    parts = headline_parts(original)
    if fault is None or parts is None:
        return written, fault
    first, joint, second = parts
    replies = await asyncio.gather(*(translator.one(p, headline=True) for p in (first, second)))
    kept = [
        text.strip().rstrip(".")
        for text, part in zip(replies, (first, second), strict=True)
        if translated_headline_fault(text.strip(), part, request, names) is None
    ]
    if not kept:
        return written, fault
    detail = "the translated headline failed its checks; its parts that pass were used"
    recorded_headline(written, fault, translator.report, task="translate", detail=detail)
    return joint.join(kept), None
