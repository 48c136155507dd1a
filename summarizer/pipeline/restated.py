"""Sentences a model writes about article sentences (restated in the article's language, or
translated): the response model that bounds them, and the checks each sentence and headline
must pass against the text it is about."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, create_model

from summarizer.constrained.kinds import PATTERNS, TextKind, declared
from summarizer.datamodel.issues import GroundingIssue, IssueAction, IssueKind
from summarizer.datamodel.request import ArticleRequest
from summarizer.grounding.quality import wrong_language
from summarizer.grounding.support import KEY_POINT_MIN_SHARE, claim_support
from summarizer.pipeline.calls import CallReport
from summarizer.text.countries import countries_in
from summarizer.text.direction import reverses
from summarizer.text.numbers import claimed_values, stated_values

#: Characters of one restated sentence, and of a headline.
SENTENCE_CHARS = 220
HEADLINE_CHARS = 100
#: A written sentence shorter than this is a fragment ("Angriffe zerstört."), not a sentence.
MIN_SENTENCE_WORDS = 6


def sentences_model(count: int) -> type[BaseModel]:
    """``{"s1": ..., "sN": ..., "headline": ...}``: one bounded sentence per given sentence, in
    order, and a headline."""
    field: Any = (
        str,
        Field(
            min_length=1,
            max_length=SENTENCE_CHARS,
            pattern=PATTERNS[TextKind.sentence],
            json_schema_extra=declared(TextKind.sentence),
        ),
    )
    headline: Any = (
        str,
        Field(min_length=1, max_length=HEADLINE_CHARS, description="A short factual headline."),
    )
    fields = {f"s{n}": field for n in range(1, count + 1)}
    return create_model("Restated", **fields, headline=headline)


def sentence_fault(
    text: str,
    source: str,
    request: ArticleRequest,
    names: frozenset[str],
    min_words: int = MIN_SENTENCE_WORDS,
) -> IssueKind | None:
    """None when ``text`` (in ``request.output_language``) is a whole sentence (``min_words``
    words at least) that ``source`` (an article sentence) supports, with a figure where
    ``source`` states one ("ein Abkommen" states none: an article is no figure); else what is
    wrong with it: ``wrong_language`` first, then ``unsupported`` (not supported, figures left
    out, a fragment: "Schoigu zweiter Besuch.", or a country the article never names: "in
    the region of Poland" for "in der Region Poltawa" - a word share the lexical support
    check lets pass)."""
    if wrong_language(text, request.output_language) is not None:
        return IssueKind.wrong_language
    if _names_a_foreign_country(text, request):
        return IssueKind.unsupported
    figures_lost = bool(claimed_values(source, request.language)) and not stated_values(
        text, request.output_language
    )
    whole = len(text.split()) >= min_words
    if _follows(text, source, request, names) and whole and not figures_lost:
        return None
    return IssueKind.unsupported


def headline_fault(
    written: str, original: str, request: ArticleRequest, names: frozenset[str]
) -> IssueKind | None:
    """None when ``written`` (a headline, in ``request.output_language``) is in the output
    language and ``original`` (the lead sentence it sums up, or the headline it translates)
    supports it, naming no country the article does not name; else what is wrong with it."""
    if wrong_language(written, request.output_language) is not None:
        return IssueKind.wrong_language
    foreign = _names_a_foreign_country(written, request)
    if written and not foreign and _follows(written, original, request, names):
        return None
    return IssueKind.unsupported


def checked_headline(
    written: str,
    original: str,
    request: ArticleRequest,
    names: frozenset[str],
    report: CallReport,
    *,
    task: str,
    detail: str,
) -> str:
    """``written`` (a headline, its full stop dropped) when it has no
    :func:`headline_fault` against ``original``; else empty, recorded in ``report`` with
    ``detail``."""
    written = written.strip().rstrip(".")
    fault = headline_fault(written, original, request, names)
    return recorded_headline(written, fault, report, task=task, detail=detail)


def recorded_headline(
    written: str, fault: IssueKind | None, report: CallReport, *, task: str, detail: str
) -> str:
    """``written`` where it has no ``fault``; else empty, the fault recorded in ``report``."""
    if fault is None:
        return written
    report.issues.append(
        GroundingIssue(
            kind=fault,
            action=IssueAction.corrected,
            where="headline",
            text=written,
            detail=detail,
            task=task,
        )
    )
    return ""


def _names_a_foreign_country(text: str, request: ArticleRequest) -> bool:
    """True when ``text`` names a country the article does not ("in the region of Poland" for
    "in der Region Poltawa")."""
    return bool(countries_in(text) - countries_in(request.text))


def _follows(text: str, source: str, request: ArticleRequest, names: frozenset[str]) -> bool:
    """Whether ``source`` (in the article's language) supports ``text`` (in the output
    language), by ``source`` alone, as a key point is checked, and ``text`` does not reverse
    the direction ``source`` states ("profit rises" for "Gewinn bricht ein")."""
    support = claim_support(
        text,
        source,
        claim_language=request.output_language,
        passage_language=request.language,
        names=names,
    )
    return support.supported(KEY_POINT_MIN_SHARE) and not reverses(text, source)
