"""Sentences of the article's language translated into the other output language, checked.

The guided pipeline writes its sentences in the article's language first (restated, each
checked against its article sentence, the article's sentence kept where a restatement fails),
then translates them, one call per sentence and one for the headline. A 1.5B model asked to
restate and translate at once lost facts and copied the article's language, and one asked to
translate a numbered list in one reply repeated its earlier answers (measured, README); one
sentence at a time is the smallest task.

Each translation is checked against the *article* sentence it is about (the cross-lingual
support check, a whole sentence, no direction reversed) and against the sentence it translates
(every country it names kept, one named by its name still named so - not turned into an
adjective with its role lost; a headline keeps every direction it states too). One that fails,
or leaves out a figure, is translated again in two halves, a smaller task that changes what a
greedy model writes; a sentence as written, where that fails too, is translated from its
restatement; one that still fails is kept flagged, and the summary leaves it out. A headline
whose translation fails is translated again in its two parts (at its dash, colon or comma),
and the parts that pass are the headline (:mod:`.headline_translation`). One left in the
article's language is asked for once more.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field, create_model

from summarizer.constrained.kinds import PATTERNS, TextKind, declared
from summarizer.datamodel.issues import GroundingIssue, IssueAction, IssueKind
from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.settings import Settings
from summarizer.datamodel.types import LANGUAGE_NAMES, SENTENCE_MAX_CHARS, Language
from summarizer.grounding.quality import wrong_language
from summarizer.pipeline.calls import CallReport, instructor_call
from summarizer.pipeline.headline_translation import translated_headline
from summarizer.pipeline.restated import (
    HEADLINE_CHARS,
    MIN_SENTENCE_WORDS,
    SENTENCE_CHARS,
    recorded_headline,
    sentence_fault,
)
from summarizer.prompts import render_messages
from summarizer.providers.base import Backend
from summarizer.text.countries import countries_changed
from summarizer.text.numbers import claimed_values, unstated
from summarizer.transport import RequestGate

#: The fewest words of each half of a sentence translated in two halves.
MIN_HALF_WORDS = 4
#: A translation with this many times its original's words, and more than this many more, says
#: more than its original (German to English runs 0.8-1.4 times).
MORE_WORDS_FACTOR = 1.6
MORE_WORDS = 5
#: Words that start the second half of a sentence in small letters when its original did.
_SMALL_AFTER_COMMA = frozenset(
    (  # noqa: SIM905 - a word list reads better as words
        "a an the this that these those it he she they we who which whose and but or as while "
        "when where after before because although though since so according "
        "der die das den dem des ein eine einen einem einer eines er sie es wir man und aber "
        "oder als wie während wenn nachdem bevor weil obwohl da dass damit so laut"
    ).split()
)
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
        slot: Any = (str, Field(min_length=1, max_length=chars, **extra))
    else:
        slot = (str, Field(min_length=1, max_length=HEADLINE_CHARS))
    return create_model("Translated", translation=slot)


def translation_fault(
    text: str, original: str, source: str, request: ArticleRequest, names: frozenset[str]
) -> IssueKind | None:
    """None when ``text`` may stand for ``original`` (a sentence in the article's language
    about the article sentence ``source``): a whole sentence in the output language that
    ``source`` supports (:func:`~summarizer.pipeline.restated.sentence_fault`: the support
    check, a country the article never names, a direction reversed), which names every country
    ``original`` names (by name or adjective: "Russian" for "Russland"; "Südsüdafrika" for
    "southern Peru" leaves Peru out); else what is wrong."""
    # a translation is as short as its original allows ("Moscow announced a reaction again."
    # for "Moskau kündigte erneut eine Reaktion an.")
    least = min(MIN_SENTENCE_WORDS, len(original.split()) - 1)
    kind = sentence_fault(text, source, request, names, min_words=least)
    if kind is None and (countries_changed(original, text) or says_more(text, original)):
        return IssueKind.unsupported
    return kind


def figures_left_out(text: str, original: str, request: ArticleRequest) -> bool:
    """True when ``text`` (a translation of ``original``) leaves out a figure ``original``
    states ("profit fell 41 %" for "um 41 Prozent auf 1,9 Milliarden Euro"): incomplete, not
    wrong."""
    claimed = claimed_values(original, request.language)
    return bool(unstated(claimed, text, request.output_language))


def says_more(text: str, original: str) -> bool:
    """True when ``text``, a translation of ``original``, has more than
    :data:`MORE_WORDS_FACTOR` times its words and :data:`MORE_WORDS` more: words of the model's
    own (a sentence's first half, translated alone, was completed with "he would not be able to
    attend the meeting due to the threat of a cyber")."""
    words, given = len(text.split()), len(original.split())
    return words > MORE_WORDS_FACTOR * given and words > given + MORE_WORDS


def halves(sentence: str) -> tuple[str, str] | None:
    """``sentence`` cut at the comma nearest its middle into two parts of at least
    :data:`MIN_HALF_WORDS` words each (the comma stays with the first); None where it has no
    such comma."""
    middle = len(sentence) / 2
    cuts = [
        m.end()
        for m in re.finditer(r",\s", sentence)
        if min(len(sentence[: m.end()].split()), len(sentence[m.end() :].split())) >= MIN_HALF_WORDS
    ]
    if not cuts:
        return None
    cut = min(cuts, key=lambda at: abs(at - middle))
    return sentence[:cut].strip(), sentence[cut:].strip()


async def translated(
    request: ArticleRequest,
    sources: list[str],
    originals: list[str],
    headline: str,
    names: frozenset[str],
    backend: Backend,
    settings: Settings,
    gate: RequestGate | None = None,
    instead: Mapping[int, str] | None = None,
) -> tuple[list[str], str, CallReport, set[int]]:
    """``originals`` (sentences in the article's language, each about the article sentence
    ``sources[i]``) and ``headline`` translated into ``request.output_language``; the
    bookkeeping; and the indexes of translations kept only flagged (:func:`translation_fault`).
    ``instead[i]``: a sentence translated in place of ``originals[i]`` where its translation
    fails (its restatement for a sentence as written). The headline is empty where its
    translation fails."""
    if not originals:
        return [], "", CallReport(), set()
    translator = _Translator(request, names, backend, settings, gate)
    sentences = asyncio.gather(
        *(
            translator.sentence(
                original, source, (instead or {}).get(index), where=f"translate.s{index + 1}"
            )
            for index, (original, source) in enumerate(zip(originals, sources, strict=True))
        )
    )
    if headline:
        replies, (headline_reply, headline_fault) = await asyncio.gather(
            sentences, translated_headline(translator, headline)
        )
    else:
        replies, headline_reply, headline_fault = await sentences, "", None
    flagged = set()
    for number, (text, fault) in enumerate(replies, start=1):
        if fault is None:
            continue
        flagged.add(number - 1)
        translator.report.issues.append(
            GroundingIssue(
                kind=fault,
                action=IssueAction.flagged,
                where=f"translate.s{number}",
                text=text,
                detail="the translated sentence does not follow from its source sentence, "
                "leaves out or changes a country it names, says more than it, is a fragment or "
                "is in the wrong language",
                task="translate",
            )
        )
    written = recorded_headline(
        headline_reply,
        headline_fault,
        translator.report,
        task="translate",
        detail="the translated headline does not follow from the headline, changes a country "
        "it names, loses a direction it states or is in the wrong language; the translated "
        "lead was used",
    )
    return [text for text, _ in replies], written, translator.report, flagged


@dataclass
class _Translator:
    """The translate calls for one request, and their bookkeeping."""

    request: ArticleRequest
    names: frozenset[str]
    backend: Backend
    settings: Settings
    gate: RequestGate | None
    report: CallReport = field(default_factory=CallReport)

    async def sentence(
        self, original: str, source: str, instead: str | None = None, *, where: str = ""
    ) -> tuple[str, IssueKind | None]:
        """``original`` translated, and what is wrong with the translation
        (:func:`translation_fault`). A translation that fails its checks or leaves out a figure
        is translated again in two halves (:func:`halves`; asked the same again, the model
        answered the same on 12 of 12 sentences, measured), joined; the halves' translation is
        taken where it passes and states every figure, else the first one. Where that one
        fails, ``instead`` (another sentence about ``source``) is translated the same way, and
        its translation taken where it passes - recorded as a correction at ``where``."""
        written, fault = await self._sentence(original, source)
        if fault is None or not instead or instead == original:
            return written, fault
        other, other_fault = await self._sentence(instead, source)
        if other_fault is not None:
            return written, fault
        self.report.issues.append(
            GroundingIssue(
                kind=fault,
                action=IssueAction.corrected,
                where=where,
                text=written,
                detail="the sentence's translation failed its checks; its restatement's was used",
                task="translate",
            )
        )
        return other, None

    async def _sentence(self, original: str, source: str) -> tuple[str, IssueKind | None]:
        """:meth:`sentence` without a sentence to translate instead."""
        written = await self.one(original)
        fault = translation_fault(written, original, source, self.request, self.names)
        parts = halves(original)
        complete = fault is None and not figures_left_out(written, original, self.request)
        if complete or parts is None:
            return written, fault
        first, second = await asyncio.gather(*(self.one(part) for part in parts))
        if says_more(first, parts[0]) or says_more(second, parts[1]):
            return written, fault  # a half completed with words of the model's own
        joined = _joined(first, second, parts[1])
        joined_fault = translation_fault(joined, original, source, self.request, self.names)
        if joined_fault is None and not figures_left_out(joined, original, self.request):
            return joined, None
        return written, fault

    async def one(self, text: str, headline: bool = False) -> str:
        """``text`` (a sentence, a part of one, or the ``headline``) translated; asked for
        once more when the reply is in the article's language."""
        request = self.request
        chars = min(SENTENCE_MAX_CHARS, max(SENTENCE_CHARS, round(LENGTH_FACTOR * len(text))))
        model = translation_model(chars, not headline)
        messages = (
            render_messages("translate", request, headline=text)
            if headline
            else render_messages("translate", request, sentences=(text,))
        )
        reply, report = await instructor_call(
            "translate", messages, model, self.backend, self.settings, max_reasks=0, gate=self.gate
        )
        self.report = self.report.merge(report)

        def read(reply: BaseModel) -> str:
            written = str(getattr(reply, "translation", "")).strip()
            return joined_numbers(written, text, request.language, request.output_language)

        written = read(reply)
        if wrong_language(written, request.output_language) is None:
            return written
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
            self.backend,
            self.settings,
            max_reasks=0,
            gate=self.gate,
        )
        self.report = self.report.merge(again_report)
        return read(again)


def _joined(first: str, second: str, second_original: str) -> str:
    """The translations of a sentence's two halves as one sentence: the first without its end
    mark, a comma, the second - its first letter small where its original's is and its first
    word is one of :data:`_SMALL_AFTER_COMMA` ("Ein Team" -> "ein Team"; "Russia", "Henrik
    Lund", "Behörden" stay)."""
    head = first.rstrip(" .!?,")
    word = second.split(" ", 1)[0].strip(",.").casefold()
    small = second_original[:1].islower() and word in _SMALL_AFTER_COMMA
    tail = second[:1].lower() + second[1:] if small else second
    return f"{head}, {tail}"
