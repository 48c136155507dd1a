"""The response models of the calls: what the model is asked to fill in.

``SummaryDraft`` and ``EventList`` (one call each per article) and ``CombinedSummary`` (the
combine call of a long article). The first two run the grounding checks of
:mod:`summarizer.grounding.context` when a grounding context with the article is present (a
Pydantic validation context, or the one the pipeline sets around each instructor call); the
pipeline
assembles their results into an :class:`~summarizer.datamodel.schemas.ArticleSummary`.
"""

from __future__ import annotations

from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from summarizer.datamodel.schemas import (
    CasualtyClaim,
    Entity,
    EventRecord,
    KeyPoint,
    Quote,
    Source,
)
from summarizer.datamodel.types import Task
from summarizer.grounding.context import current_grounding, ground_in_context


class GroundedModel(BaseModel):
    """Runs the grounding checks of :mod:`summarizer.grounding.context` when a grounding context is
    given."""

    @model_validator(mode="after")
    def _ground(self, info: ValidationInfo) -> Any:
        self.assemble()
        ground_in_context(self, info.context if info.context is not None else current_grounding())
        return self

    def assemble(self) -> None:
        """Fill the fields the checks read from what the model wrote (a no-op here;
        per-article response models that ask for other fields fill them)."""


def _require_text(value: str, source: str) -> str:
    """``value`` unless it is blank (a schema-valid but empty answer is re-asked)."""
    if not value.strip():
        raise ValueError(f"must not be empty: write it from {source}")
    return value


class SummaryDraft(GroundedModel):
    """What the summary call asks the model for."""

    model_config = ConfigDict(title="SummaryDraft")

    headline: str = Field(
        min_length=1, max_length=200, description="A factual headline in the output language."
    )
    summary: str = Field(
        min_length=1, max_length=1200, description="Two to four sentences in the output language."
    )
    key_points: list[KeyPoint] = Field(
        min_length=1, max_length=8, description="Three to six key facts."
    )
    entities: list[Entity] = Field(max_length=20)
    quotes: list[Quote] = Field(max_length=10, description="Direct quotations; [] if none.")
    sources: list[Source] = Field(max_length=10, description="Attributed sources; [] if none.")

    @field_validator("headline", "summary")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        return _require_text(value, "the article")


class SentenceListDraft(GroundedModel):
    """A summary draft whose summary the model gives as a list of article sentences (the
    extractive variant of the constrained models): the joined list becomes ``summary``, and a
    key point without text of its own takes its evidence's."""

    summary: SkipJsonSchema[str] = ""

    def assemble(self) -> None:
        # summary_sentences is declared by each per-article model, last (written last): the
        # sentences, or their ids (the model then carries ``sentence_ids``).
        ids: dict[str, str] = getattr(type(self), "sentence_ids", {})
        chosen = [ids.get(s, s) for s in getattr(self, "summary_sentences", [])]
        self.summary = " ".join(s.strip() for s in chosen)
        for point in getattr(self, "key_points", []):
            if not point.text:
                point.text = point.evidence.text


class EventDraft(EventRecord):
    """An event as the model writes it: the casualty claims are the tool's (read from the text
    after validation), not asked for."""

    casualty_claims: SkipJsonSchema[list[CasualtyClaim]] = Field(default_factory=list)


class EventList(GroundedModel):
    """What the events call asks the model for."""

    model_config = ConfigDict(title="EventList")

    events: list[EventDraft] = Field(max_length=12, description="Every distinct event.")


class CombinedSummary(BaseModel):
    """What the combine call of a long article asks for: one headline and summary made from
    the partial summaries of its parts."""

    model_config = ConfigDict(title="CombinedSummary")

    headline: str = Field(
        min_length=1, max_length=200, description="A factual headline for the whole article."
    )
    summary: str = Field(
        min_length=1, max_length=1200, description="Two to four sentences in the output language."
    )

    @field_validator("headline", "summary")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        return _require_text(value, "the partial summaries")


RESPONSE_MODELS: dict[Task, type[BaseModel]] = {
    "summary": SummaryDraft,
    "events": EventList,
    "combine": CombinedSummary,
}
