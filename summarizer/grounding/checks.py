"""The checks run on each reply: every claim located, supported and well-formed.

A checker walks one reply (:class:`~summarizer.grounding.summary_checks.SummaryChecks` a summary
draft, :class:`~summarizer.grounding.event_checks.EventChecks` an event list), fills in offsets and
collects :class:`Finding` s; :class:`Checker` holds what both share. On the last allowed reply
(``lenient``) it also applies each finding's consequence: the item is dropped, its value
cleared, or it is kept and flagged. Deterministic repairs (a repeated item, a news agency typed
as something else) are applied on every reply and never cause a re-ask.

What is checked (``README.md``, "How grounding works"):

* located: evidence and quotes are verbatim passages; names occur in the article;
* supported (:mod:`summarizer.grounding.support`): a key point by its evidence's paragraph (names,
  numbers and, in the article's language, content words); a summary sentence by the article
  sentences that cover it best; a quote by its attributed speaker; an event's actors, targets,
  place, casualty figures and source by its evidence's paragraph; a source's type by the known
  agencies;
* well-formed (:mod:`summarizer.grounding.quality`): no text cut off, none in the wrong language or
  script, no prompt text repeated, no item repeated.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from summarizer.datamodel.issues import GroundingIssue, IssueAction, IssueKind
from summarizer.datamodel.schemas import AlignmentStatus
from summarizer.datamodel.types import LANGUAGE_NAMES, LANGUAGES, Language
from summarizer.grounding.quality import (
    cut_off,
    foreign_script,
    leaked_prompt,
    truncated_copy,
    wrong_language,
)
from summarizer.grounding.support import SentenceAlignment, align_sentence
from summarizer.text.lexicon import article_names
from summarizer.text.matching import locate, mentions
from summarizer.text.numbers import claimed_values, states_count, unstated
from summarizer.text.segmentation import paragraph_around

if TYPE_CHECKING:
    from summarizer.datamodel.schemas import (
        EvidenceSpan,
    )

MIN_EVIDENCE_CHARS = 12
T = TypeVar("T")


@dataclass(frozen=True)
class Finding:
    """A failed check, and what happens to its item after the last re-ask (``reask=False``:
    repaired at once, on every reply)."""

    kind: IssueKind
    where: str
    text: str
    detail: str
    consequence: IssueAction
    reask: bool = True

    def issue(self, action: IssueAction, task: str | None) -> GroundingIssue:
        return GroundingIssue(
            kind=self.kind,
            action=action,
            where=self.where,
            text=self.text,
            detail=self.detail,
            task=task,
        )


def unique_by(items: list[T], key: Callable[[T], Hashable]) -> tuple[list[T], list[int]]:
    """``items`` without repeats (the first stays), and the indexes of the repeats."""
    seen: set[Hashable] = set()
    kept, repeats = [], []
    for index, item in enumerate(items):
        marker = key(item)
        if marker in seen:
            repeats.append(index)
            continue
        seen.add(marker)
        kept.append(item)
    return kept, repeats


def flat(text: str) -> str:
    """``text`` case-folded, its whitespace runs as single spaces (to compare texts)."""
    return " ".join(text.casefold().split())


class Checker:
    """Walks one reply, fills offsets, collects findings and (when lenient) applies them."""

    def __init__(
        self,
        article: str,
        lenient: bool,
        *,
        article_language: Language | None = None,
        output_language: Language | None = None,
        published: str = "",
        template_sentences: Sequence[str] = (),
    ) -> None:
        """``published``: the headline and date the article came with; the numbers of the
        model's own sentences may come from them too (evidence may not).
        ``template_sentences``: the prompt templates' sentences, which no answer may repeat."""
        self.article = article
        self.published = published
        self.lenient = lenient
        self.findings: list[Finding] = []
        self.article_language = article_language
        self.output_language = output_language
        self.template_sentences = template_sentences
        self._article_languages = (article_language,) if article_language else LANGUAGES
        self._output_languages = (output_language,) if output_language else LANGUAGES
        self.names = article_names(article, article_language) if article_language else frozenset()

    def check(self, reply: Any) -> None:
        """Check ``reply`` in place (each checker knows its kind of reply)."""
        raise NotImplementedError

    def _aligned(self, sentence: str, names: frozenset[str]) -> SentenceAlignment | None:
        """The article sentences that support ``sentence`` of the reply
        (:func:`~summarizer.grounding.support.align_sentence`); None while either language is
        unknown."""
        if self.article_language is None or self.output_language is None:
            return None
        return align_sentence(
            sentence,
            self.article,
            language=self.output_language,
            article_language=self.article_language,
            names=names,
        )

    def _find(
        self,
        kind: IssueKind,
        where: str,
        text: str,
        detail: str,
        consequence: IssueAction,
        *,
        reask: bool = True,
    ) -> None:
        self.findings.append(Finding(kind, where, text, detail, consequence, reask))

    # -- located ------------------------------------------------------------------------------

    def _span(self, where: str, span: EvidenceSpan) -> bool:
        found = locate(span.text, self.article, hint=span.start)
        if found is None or len(found.text) < MIN_EVIDENCE_CHARS:
            self._find(
                IssueKind.not_located,
                where,
                span.text,
                f"{span.text!r} is not a verbatim passage of the article "
                f"(copy a whole sentence exactly)",
                IssueAction.dropped,
            )
            return False
        span.text, span.start, span.end = found.text, found.start, found.end
        if span.alignment is not AlignmentStatus.chosen:
            span.alignment = AlignmentStatus.exact if found.exact else AlignmentStatus.normalized
        return True

    def _paragraph(self, span: EvidenceSpan) -> str:
        assert span.start is not None and span.end is not None
        return paragraph_around(self.article, span.start, span.end)

    def _unstated_numbers(self, where: str, text: str, consequence: IssueAction) -> bool:
        """Numbers the model's own sentence claims must be stated in the article (or in the
        headline and date it was published with), as values."""
        extra: set[Decimal] = set()
        for output_language in self._output_languages:
            remaining = claimed_values(text, output_language)
            for article_language in self._article_languages:
                for source in (self.article, self.published):
                    if remaining and source:
                        remaining = frozenset(unstated(remaining, source, article_language))
            extra |= remaining
        if extra:
            numbers = ", ".join(format(n, "f") for n in sorted(extra))
            self._find(
                IssueKind.number_not_stated,
                where,
                text,
                f"the number(s) {numbers} do not appear in the article",
                consequence,
            )
        return bool(extra)

    def _states_count(self, value: int, text: str) -> bool:
        return any(states_count(value, text, language) for language in self._article_languages)

    def _named(self, where: str, name: str) -> bool:
        if mentions(name, self.article):
            return True
        self._find(
            IssueKind.not_mentioned,
            f"{where}.name",
            name,
            f"{name!r} is never mentioned in the article",
            IssueAction.dropped,
        )
        return not self.lenient

    # -- well-formed --------------------------------------------------------------------------

    def _well_formed(
        self,
        where: str,
        text: str,
        consequence: IssueAction,
        *,
        sentence: bool,
        max_length: int | None = None,
    ) -> bool:
        """Cut off, wrong language or script, prompt repeated: each a finding; True if none."""
        ok = True
        truncated = sentence and truncated_copy(text, self.article)
        if truncated or cut_off(text, sentence=sentence, max_length=max_length):
            ending = "with a complete sentence" if sentence else "with a complete word"
            self._find(
                IssueKind.cut_off,
                where,
                text,
                f"{text[-40:]!r} is cut off; end it {ending}",
                consequence,
            )
            ok = False
        if self.output_language is not None:
            other = wrong_language(text, self.output_language)
            if other is not None:
                self._find(
                    IssueKind.wrong_language,
                    where,
                    text,
                    f"{text[:60]!r} is in {LANGUAGE_NAMES[other]}; write it in "
                    f"{LANGUAGE_NAMES[self.output_language]}",
                    consequence,
                )
                ok = False
        letters = foreign_script(text, self.article)
        if letters:
            self._find(
                IssueKind.foreign_script,
                where,
                text,
                f"it contains characters of another script ({letters}); write Latin letters only",
                consequence,
            )
            ok = False
        leak = leaked_prompt(text, self.template_sentences) if self.template_sentences else None
        if leak:
            self._find(
                IssueKind.prompt_leak,
                where,
                text,
                f"it repeats the instructions ({leak!r}); write about the article",
                consequence,
            )
            ok = False
        return ok

    def _unique(self, where: str, items: list[T], *keys: Callable[[T], Hashable]) -> list[T]:
        """``items`` without those that repeat an earlier one by any of ``keys``: dropped at
        once (a small model repeats itself; asking again mostly repeats it too)."""
        for key in keys:
            items, repeats = unique_by(items, key)
            for index in repeats:
                self._find(
                    IssueKind.duplicate,
                    f"{where}[{index}]",
                    "",
                    "repeats an earlier item",
                    IssueAction.dropped,
                    reask=False,
                )
        return items
