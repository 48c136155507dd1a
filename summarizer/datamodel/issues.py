"""Typed findings of the checks on a model's reply: :class:`GroundingIssue`.

Every check that finds something wrong with a reply records one issue: which kind, where in the
reply, the offending text, what the model is told, and what was done about it (re-asked, or on
the last reply dropped, flagged or cleared). Warnings are rendered from these records and the
eval metrics count them by kind; nothing parses warning text.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class IssueKind(StrEnum):
    """What is wrong."""

    #: An evidence span or quote is not a verbatim passage of the article.
    not_located = "not_located"
    #: A name (speaker, entity, source) does not occur in the article.
    not_mentioned = "not_mentioned"
    #: A number the model wrote is not stated in the article (or near the event, for casualties).
    number_not_stated = "number_not_stated"
    #: The headline copies a passage of the body word for word (what injected text asks for).
    copied_passage = "copied_passage"
    #: A tool call came back under another tool's name.
    wrong_tool = "wrong_tool"
    #: A claim its evidence does not support (a key point, a summary sentence, an event's
    #: actors, targets, place or source).
    unsupported = "unsupported"
    #: A quote given to someone the article does not attribute it to.
    wrong_speaker = "wrong_speaker"
    #: A source typed against what it is (a news agency as an organization).
    wrong_type = "wrong_type"
    #: A text that stops mid-sentence or mid-word.
    cut_off = "cut_off"
    #: A text in the other language than the one asked for.
    wrong_language = "wrong_language"
    #: Letters of another script (Chinese, Cyrillic, ...) that the article does not contain.
    foreign_script = "foreign_script"
    #: Text of the prompt's own instructions repeated in the answer.
    prompt_leak = "prompt_leak"
    #: An item that repeats an earlier one (same evidence or same text).
    duplicate = "duplicate"
    #: A casualty figure the evidence states but the event leaves out.
    missing_figure = "missing_figure"
    #: The input reads as a live blog or news ticker: many time-stamped stories, not one.
    many_stories = "many_stories"
    #: A casualty figure its evidence states for another kind ("5 killed" given as injured).
    wrong_kind = "wrong_kind"
    #: A passage in quotation marks that nobody is said to say (a name, a scare quote).
    not_a_quote = "not_a_quote"
    #: A source that names no one who reports (a country, a role word, a common noun).
    not_a_source = "not_a_source"
    #: A key point, event, headline or summary sentence taken from text that addresses a model
    #: ("ignore previous instructions", „Neue Aufgabe vom Betreiber …"): data, not a fact.
    planted_instruction = "planted_instruction"


class IssueAction(StrEnum):
    """What was done about an issue."""

    #: The reply was rejected and the model asked again with the issue named.
    reasked = "reasked"
    #: After the last re-ask: the item was removed from the result.
    dropped = "dropped"
    #: After the last re-ask: the value was set to null.
    cleared = "cleared"
    #: Kept as it is, and reported.
    flagged = "flagged"
    #: Repaired by the code (a news agency's type set, a cut summary ended at its last
    #: complete sentence), and reported.
    corrected = "corrected"


class GroundingIssue(BaseModel):
    """One finding of the checks on one reply."""

    model_config = ConfigDict(frozen=True)

    kind: IssueKind
    action: IssueAction
    where: str = Field(
        default="", description="Path of the value in the reply, e.g. 'key_points[2].evidence'."
    )
    text: str = Field(default="", description="The offending value as the model wrote it.")
    detail: str = Field(description="What is wrong, as the model is told when re-asked.")
    task: str | None = Field(default=None, description="The call: summary, events or combine.")
    part: int | None = Field(default=None, description="Part of a long article (1-based).")
    parts: int | None = Field(default=None, description="How many parts the article had.")

    @property
    def message(self) -> str:
        """``where: detail``, the line the model reads in a re-ask."""
        return f"{self.where}: {self.detail}" if self.where else self.detail

    @property
    def warning(self) -> str:
        """The line users read in ``metadata.warnings``: part, task, then the message."""
        prefix = f"part {self.part}/{self.parts}: " if self.part is not None else ""
        task = f"{self.task}: " if self.task else ""
        return f"{prefix}{task}{self.message}"

    @property
    def final(self) -> bool:
        """True for what stayed after the last re-ask (reported to the user as a warning)."""
        return self.action is not IssueAction.reasked
