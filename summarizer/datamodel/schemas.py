"""The Pydantic models of the output, documented field by field: what the user gets
(:class:`ArticleSummary`, its parts, :class:`EventRecord`, :class:`RunMetadata`, batch records).

What the model is asked to fill in (the response models of the calls, which run the grounding
checks) lives in :mod:`summarizer.grounding.responses`; loaded from saved JSON, these models
validate structure only."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, GetJsonSchemaHandler, computed_field
from pydantic_core import CoreSchema, PydanticOmit

from summarizer.datamodel.issues import GroundingIssue
from summarizer.datamodel.types import SENTENCE_MAX_CHARS, Language


class EntityType(StrEnum):
    """Kind of a named entity."""

    person = "person"
    organization = "organization"
    location = "location"
    group = "group"
    other = "other"


class SourceType(StrEnum):
    """Kind of a source the article attributes information to."""

    news_agency = "news_agency"
    government = "government"
    official = "official"
    organization = "organization"
    media = "media"
    witness = "witness"
    other = "other"


class EventType(StrEnum):
    """Taxonomy of events; :data:`EVENT_TYPE_DEFINITIONS` says what each type covers."""

    attack = "attack"
    armed_clash = "armed_clash"
    meeting = "meeting"
    statement = "statement"
    agreement = "agreement"
    protest = "protest"
    disaster = "disaster"
    accident = "accident"
    economic = "economic"
    legal = "legal"
    political = "political"
    cyberattack = "cyberattack"
    other = "other"


EVENT_TYPE_DEFINITIONS: dict[EventType, str] = {
    EventType.attack: "a one-sided use of force (strike, bombing, drone attack, shooting)",
    EventType.armed_clash: "fighting between armed parties",
    EventType.meeting: "a visit, summit, talks or phone call between parties",
    EventType.statement: "a declaration, promise, threat, demand or accusation",
    EventType.agreement: "a treaty, deal, ceasefire or partnership concluded",
    EventType.protest: "a demonstration, strike or riot",
    EventType.disaster: "a natural disaster (flood, earthquake, storm, wildfire, epidemic)",
    EventType.accident: "an unintended incident (crash, derailment, explosion, collapse)",
    EventType.economic: "a market move, company result, trade or price figure",
    EventType.legal: "a court ruling, charge, arrest, lawsuit or investigation",
    EventType.political: "an election, appointment, resignation, law or government decision",
    EventType.cyberattack: "a hack, ransomware, data leak or outage caused by an attacker",
    EventType.other: "anything else",
}


class Certainty(StrEnum):
    """How the article presents an event; :data:`CERTAINTY_DEFINITIONS` explains each value."""

    reported = "reported"
    claimed = "claimed"
    confirmed = "confirmed"
    announced = "announced"
    planned = "planned"
    denied = "denied"


CERTAINTY_DEFINITIONS: dict[Certainty, str] = {
    Certainty.reported: "reported as fact by a named or unnamed source",
    Certainty.claimed: "asserted by an interested party and not independently verified",
    Certainty.confirmed: "confirmed by an independent or official source",
    Certainty.announced: "announced as decided or about to happen",
    Certainty.planned: "planned or expected, not yet happened",
    Certainty.denied: "reported, and denied by someone involved",
}


class AlignmentStatus(StrEnum):
    """How a span was found in the article (after LangExtract's ``AlignmentStatus``). Every
    status means ``article[start:end] == text``; they differ in what the model wrote."""

    #: The model's text is the passage, character for character (apart from spaces, quote
    #: marks and sentence punctuation at its ends, which the span leaves out).
    exact = "exact"
    #: The model's text is the passage up to case, whitespace, quote-mark and dash variants,
    #: soft hyphens, a word hyphenated across a line, and punctuation at its ends
    #: (:func:`summarizer.text.matching.locate`).
    normalized = "normalized"
    #: The model named the sentence or passage by its id; the tool took its text.
    chosen = "chosen"
    #: The model's evidence did not support its key point and another article sentence does:
    #: the tool put that sentence in its place (and flagged it).
    repointed = "repointed"


@dataclass(frozen=True)
class _OnlyInOutputSchema:
    """A field of the output schema (``mode="serialization"``, ``summarizer schema``) that
    the response models, which share these classes, do not ask the model for."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> Any:
        if handler.mode == "validation":
            raise PydanticOmit
        return handler(core_schema)


#: Filled in by the tool where it locates a span; None for spans of other origins.
Alignment = Annotated[
    AlignmentStatus | None,
    _OnlyInOutputSchema(),
    Field(default=None, description="How the tool found the span in the article."),
]


class EvidenceSpan(BaseModel):
    """A verbatim passage of the article with its character offsets.

    The model supplies ``text``; the tool locates it in the article and fills in ``start`` and
    ``end`` so that ``article[start:end] == text``.
    """

    text: str = Field(
        max_length=800, description="A passage copied word for word from the article."
    )
    start: int | None = Field(
        default=None, ge=0, description="Offset of the first character; filled in by the tool."
    )
    end: int | None = Field(
        default=None, ge=0, description="Offset after the last character; filled in by the tool."
    )
    alignment: Alignment = None


class KeyPoint(BaseModel):
    """One fact of the story, in the output language, with the passage that supports it."""

    text: str = Field(
        min_length=1,
        max_length=SENTENCE_MAX_CHARS,
        description="The fact, in one sentence, in the output language.",
    )
    evidence: EvidenceSpan = Field(description="The article sentence that states this fact.")


class Entity(BaseModel):
    """A person, organization, place or group that plays a role in the story."""

    name: str = Field(
        min_length=1,
        max_length=120,
        description="The name as written in the article (nominative form).",
    )
    type: EntityType = Field(description="person, organization, location, group or other.")
    description: str = Field(
        max_length=300, description="Its role in the story, in the output language."
    )


class Quote(BaseModel):
    """A direct quotation, verbatim in the article's language, with offsets."""

    speaker: str = Field(
        min_length=1, max_length=120, description="Who said it, as named in the article."
    )
    text: str = Field(
        max_length=800, description="The quoted words copied exactly from the article."
    )
    translation: str | None = Field(
        default=None,
        description="Translation into the output language when it differs from the article's.",
    )
    start: int | None = Field(default=None, ge=0, description="Filled in by the tool.")
    end: int | None = Field(default=None, ge=0, description="Filled in by the tool.")
    alignment: Alignment = None


class SentenceSupport(BaseModel):
    """A summary sentence and the article sentences that support it (found by the code, no
    model call: see :mod:`summarizer.grounding.support`)."""

    sentence: str
    evidence: list[EvidenceSpan] = Field(
        default_factory=list, description="The article sentences that cover it best."
    )
    score: float | None = Field(
        default=None,
        description="Share of its content words found there (None across languages: only "
        "names and numbers can be compared).",
    )
    supported: bool | None = Field(
        default=None,
        description="Names, numbers and (same language) enough content words found; None "
        "when a sentence in the other language has no name or number to check.",
    )


class Source(BaseModel):
    """Someone the article attributes information to (an agency, an official, a ministry)."""

    name: str = Field(
        min_length=1, description="The source as named in the article, e.g. 'KCNA' or 'Tass'."
    )
    type: SourceType = Field(default=SourceType.other, description="Kind of source.")


class Location(BaseModel):
    """Where an event happened, as given in the article (any part may be unknown)."""

    place: str | None = Field(default=None, description="City, town, site or facility.")
    region: str | None = Field(default=None, description="Region, province or area.")
    country: str | None = Field(default=None, description="Country.")


class EventTime(BaseModel):
    """When an event happened."""

    text: str | None = Field(
        default=None, description="The time as written in the article, e.g. 'in der Nacht'."
    )
    date: str | None = Field(
        default=None,
        pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        description="ISO date (YYYY-MM-DD), only when the article's own date makes it resolvable.",
    )


class CasualtyKind(StrEnum):
    killed = "killed"
    injured = "injured"
    missing = "missing"
    displaced = "displaced"
    arrested = "arrested"


class CasualtyClaim(BaseModel):
    """Who says how many: one figure of the article for one kind of casualty, as a range (read
    from the text by rules: :mod:`summarizer.grounding.casualties`)."""

    kind: CasualtyKind
    min: int | None = Field(default=None, ge=0, description="At least this many; null: open.")
    max: int | None = Field(default=None, ge=0, description="At most this many; null: open.")
    approximate: bool = Field(default=False, description="'about', 'rund', 'dozens'.")
    claimant: str | None = Field(default=None, description="Who the sentence says reports it.")
    evidence: EvidenceSpan = Field(description="The sentence that states the figure.")


class EventRecord(BaseModel):
    """Who did what to whom, where and when, with casualties and who reports it."""

    event_type: EventType = Field(description="Type of event from the taxonomy.")
    description: str = Field(
        min_length=1,
        max_length=SENTENCE_MAX_CHARS,
        description="One sentence in the output language.",
    )
    actors: list[str] = Field(default_factory=list, description="Who acted.")
    targets: list[str] = Field(default_factory=list, description="Who or what was acted upon.")
    location: Location = Field(default_factory=Location)
    time: EventTime = Field(default_factory=EventTime)
    fatalities: int | None = Field(
        default=None, ge=0, description="People killed, as stated in the article; null if not."
    )
    injured: int | None = Field(
        default=None, ge=0, description="People injured, as stated in the article; null if not."
    )
    casualty_details: str | None = Field(
        default=None, description="Details such as 'two women and a one-year-old child'."
    )
    source_attribution: str | None = Field(
        default=None, description="Who reports the event, e.g. 'Behörden' or 'KCNA'."
    )
    certainty: Certainty = Field(default=Certainty.reported)
    evidence: EvidenceSpan = Field(description="The article sentence that reports the event.")
    casualty_claims: list[CasualtyClaim] = Field(
        default_factory=list,
        description="Every casualty figure of the evidence sentence and the one after it, with "
        "its claimant; filled in by the tool, not the model.",
    )


class TokenUsage(BaseModel):
    """Tokens used across every call (re-asks included)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )


class RunMetadata(BaseModel):
    """How a summary was produced."""

    provider: str = Field(description="Provider name: openai, local, ...")
    model: str = Field(description="Model name or local model file.")
    mode: str = Field(description="instructor mode used for structured output.")
    prompt_version: str = Field(description="Hash of the prompt templates and schemas.")
    usage: TokenUsage = Field(default_factory=TokenUsage)
    latency_s: float = Field(default=0.0, description="Wall time of the whole summarization.")
    llm_calls: int = Field(default=0, description="Requests that got a reply.")
    reasks: int = Field(default=0, description="Validation re-asks (replies that failed checks).")
    transport_retries: int = Field(default=0, description="Retried transport faults.")
    issues: list[GroundingIssue] = Field(
        default_factory=list,
        description="Every finding of the checks on the replies: re-asked, or after the last "
        "re-ask dropped, cleared or flagged.",
    )

    @computed_field(description="What was dropped or flagged after the last re-ask.")  # type: ignore[prop-decorator]
    @property
    def warnings(self) -> list[str]:
        return [issue.warning for issue in self.issues if issue.final]


class ArticleSummary(BaseModel):
    """The structured, grounded summary of one article."""

    language: Language = Field(description="ISO 639-1 code of the article's language.")
    output_language: Language = Field(description="Language of headline, summary, points.")
    headline: str
    summary: str
    key_points: list[KeyPoint] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    events: list[EventRecord] = Field(default_factory=list)
    summary_support: list[SentenceSupport] = Field(
        default_factory=list, description="Each summary sentence with the passages supporting it."
    )
    metadata: RunMetadata | None = Field(
        default=None, description="How this summary was produced (absent in hand-made data)."
    )


class RecordError(BaseModel):
    """Why one article of a batch has no summary."""

    type: str = Field(description="Error class: InputError, ModelOutputError, EndpointError, ...")
    message: str = Field(description="One-line cause, never containing the API key.")


class BatchRecord(BaseModel):
    """One line of a batch output file (JSONL): one article's summary or its error."""

    id: str = Field(description="The article's id (its file path relative to INPUT, or JSONL id).")
    status: Literal["ok", "error"]
    title: str | None = Field(default=None, description="Title given with, or found in, the input.")
    date: str | None = Field(default=None, description="Date given with, or found in, the input.")
    cached: bool = Field(default=False, description="Taken from the result cache (no LLM call).")
    summary: ArticleSummary | None = Field(
        default=None, description="The summary (its metadata is the record's `metadata`)."
    )
    error: RecordError | None = None
    metadata: RunMetadata | None = Field(
        default=None,
        description="Model, prompt version, tokens, latency, retries and warnings; for errors "
        "the model and prompt version that were tried.",
    )

    def to_json_line(self) -> str:
        """The record as one JSON line (no newline inside, metadata once)."""
        return self.model_dump_json(exclude={"summary": {"metadata"}}) + "\n"


SCHEMAS: dict[str, type[BaseModel]] = {
    "article-summary": ArticleSummary,
    "event-record": EventRecord,
    "run-metadata": RunMetadata,
    "batch-record": BatchRecord,
}
