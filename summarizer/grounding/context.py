"""Grounding checks of model output, run as Pydantic validators through instructor.

The pipeline sets a :class:`GroundingContext` (the article, a :class:`GroundingRun`, the
languages, the provider's re-ask policy) around each instructor call with :func:`grounding`; a
Pydantic validation context with the same keys works too (tests, users validating saved JSON
against its article). Each check that fails records a
:class:`~summarizer.datamodel.issues.GroundingIssue`. On every reply but the last allowed one, the
issues become a validation error whose message tells the model what to fix, so instructor
re-asks. On the last allowed reply (unless ``strict``), ungrounded items are dropped (or their
value cleared, or kept and flagged) instead, so the user gets the grounded rest and a typed list
of what was removed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, fields
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticCustomError

from summarizer.datamodel.issues import GroundingIssue, IssueAction, IssueKind
from summarizer.datamodel.types import Language
from summarizer.grounding.checks import Finding
from summarizer.grounding.event_checks import EventChecks
from summarizer.grounding.summary_checks import SummaryChecks


@dataclass(frozen=True)
class GroundingContext:
    """What the checks of one reply are grounded in."""

    #: The article (evidence offsets index it).
    article: str
    #: The call's state across instructor's attempts (None: validate once, nothing recorded).
    run: GroundingRun | None = None
    language: Language | None = None
    output_language: Language | None = None
    #: The headline and date the article was published with (numbers may come from them).
    published: str = ""
    #: Sentences of our own prompt templates (a reply that repeats one leaked the prompt).
    template_sentences: tuple[str, ...] = ()
    #: The finding kinds worth a re-ask (the provider's policy); None: every kind.
    reask_kinds: frozenset[IssueKind] | None = None

    @classmethod
    def of(cls, value: GroundingContext | Mapping[str, Any] | None) -> GroundingContext | None:
        """The context ``value`` gives: this type as it is, or a Pydantic validation context
        (a mapping with at least ``article``; users validating saved JSON against its
        article, and tests); None when there is no article to ground in."""
        if value is None or isinstance(value, GroundingContext):
            return value
        if "article" not in value:
            return None
        known = {f.name for f in fields(cls)}
        given = {key: item for key, item in value.items() if key in known}
        if "template_sentences" in given:
            given["template_sentences"] = tuple(given["template_sentences"])
        return cls(**given)


# Not instructor's ``context=``: instructor also renders every message as a Jinja template with
# that context, which costs a template compile per message and would evaluate ``{{ ... }}`` in an
# article. A context variable is local to the asyncio task, so concurrent calls keep theirs apart.
_GROUNDING: ContextVar[GroundingContext | None] = ContextVar("summarizer_grounding", default=None)


@contextmanager
def grounding(context: GroundingContext | Mapping[str, Any]) -> Iterator[None]:
    """Ground the models validated inside this block in ``context``."""
    token = _GROUNDING.set(GroundingContext.of(context))
    try:
        yield
    finally:
        _GROUNDING.reset(token)


def current_grounding() -> GroundingContext | None:
    """The context set by the innermost enclosing :func:`grounding` block, if any."""
    return _GROUNDING.get()


#: What is re-asked when the model decodes greedily under a grammar (the in-process model): a
#: re-ask costs a whole reply and mostly repeats it, so only a text in the wrong language is
#: asked again (no repair can translate it; the re-ask names the language). Everything else
#: has a deterministic repair: drop the unsupported item, clear the unstated number, set the
#: sentence that states the point or the figure the evidence states, end a text at its last
#: full sentence; the grammar already rules out other scripts and unbounded texts.
GREEDY_REASK_KINDS = frozenset({IssueKind.wrong_language})


@dataclass
class GroundingRun:
    """Per-call state shared by the validator across instructor's attempts."""

    max_attempts: int
    strict: bool = False
    task: str | None = None
    attempts: int = 0
    #: Every issue of every reply, in order (re-asked ones included).
    issues: list[GroundingIssue] = field(default_factory=list)
    #: The messages of the latest reply's issues (what a strict failure reports).
    problems: list[str] = field(default_factory=list)

    def on_reply(self, *_: Any, **__: Any) -> None:
        """instructor hook ``completion:response``: one more reply is about to be validated."""
        self.attempts += 1

    @property
    def lenient(self) -> bool:
        return not self.strict and self.attempts >= self.max_attempts

    @property
    def warnings(self) -> list[str]:
        """What stayed after the last re-ask, as warning lines."""
        return [issue.warning for issue in self.issues if issue.final]


def ground_in_context(model: BaseModel, given: GroundingContext | Mapping[str, Any] | None) -> None:
    """Validator entry point: ground ``model`` in place, raise or record what fails."""
    context = GroundingContext.of(given)
    if context is None:
        return
    article = context.article
    run = context.run
    lenient = run is not None and run.lenient
    checker_class = EventChecks if hasattr(model, "events") else SummaryChecks

    def check(lenient: bool) -> list[Finding]:
        checker = checker_class(
            article,
            lenient,
            article_language=context.language,
            output_language=context.output_language,
            published=context.published,
            template_sentences=context.template_sentences,
        )
        checker.check(model)
        return checker.findings

    findings = check(lenient)
    # strict: every issue is re-asked, then fails; never repaired.
    worth = None if run is not None and run.strict else context.reask_kinds
    to_reask = [f for f in findings if f.reask and (worth is None or f.kind in worth)]
    if not lenient and not to_reask and any(f.reask for f in findings):
        # Nothing a second answer would change: repair this one now (drop, clear, correct).
        # What the first pass repaired at once stays repaired, and recorded.
        lenient = True
        repaired = check(lenient)
        findings = list(dict.fromkeys([f for f in findings if not f.reask] + repaired))
    if not lenient and to_reask:
        problems = [f"{f.where}: {f.detail}" for f in to_reask]
        if run is not None:
            run.problems = problems
            run.issues += [f.issue(IssueAction.reasked, run.task) for f in to_reask]
        raise PydanticCustomError(
            "ungrounded",
            "The answer contains content that the article does not support, or that is not "
            "written as asked. Fix these and answer again; copy evidence and quotes character "
            "for character from the article:\n{problems}",
            {"problems": "\n".join(f"- {p}" for p in problems)},
        )
    if run is not None:
        run.problems = [f"{f.where}: {f.detail}" for f in to_reask]
        run.issues += [f.issue(f.consequence, run.task) for f in findings]
