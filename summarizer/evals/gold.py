"""Hand-labeled gold articles: the label format (documented in ``seeds/README.md``) and loader.

A seed is two files side by side: ``NAME.txt`` (the article, UTF-8) and ``NAME.json`` (its
label, validated by :class:`GoldLabel`); :mod:`summarizer.evals.seed_check` checks a label
against its article.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summarizer.datamodel.schemas import Certainty, EntityType, EventType, Language, SourceType


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GoldKeyFact(_Strict):
    """A fact a good summary must contain."""

    id: str
    text: dict[Language, str] = Field(description="The fact as a sentence, per language.")
    evidence: str = Field(description="Verbatim article passage stating the fact.")
    match: list[list[str]] = Field(
        description="All groups must match within one or two consecutive prose sentences of "
        "the headline and summary; a group matches when one of its terms does (words at a "
        "word start, numbers by value: see summarizer.evals.facts)."
    )
    contradicts: list[list[list[str]]] = Field(
        default_factory=list,
        description="The fact stated the wrong way round: alternatives, each a list of "
        "groups like `match` (e.g. [[['Sabotage'], ['bestätigt', 'confirmed']]]).",
    )


class GoldEntity(_Strict):
    name: str
    type: EntityType
    aliases: list[str] = Field(default_factory=list, description="Other spellings and languages.")
    description: str = ""


class GoldQuote(_Strict):
    speaker: str
    speaker_aliases: list[str] = Field(default_factory=list)
    text: str = Field(description="Verbatim quoted words.")


class GoldSource(_Strict):
    name: str
    type: SourceType = SourceType.other
    aliases: list[str] = Field(default_factory=list)


class GoldLocation(_Strict):
    place: str | None = None
    region: str | None = None
    country: str | None = None


class GoldEvent(_Strict):
    event_type: EventType
    description: str
    actors: list[str] = Field(default_factory=list, description="Names; aliases allowed.")
    targets: list[str] = Field(default_factory=list)
    location: GoldLocation = Field(default_factory=GoldLocation)
    time: str | None = None
    fatalities: int | None = None
    injured: int | None = None
    casualty_details: str | None = None
    source_attribution: list[str] = Field(
        default_factory=list, description="Acceptable names of who reports it ([] = unattributed)."
    )
    certainty: Certainty = Certainty.reported
    evidence: str = Field(description="Verbatim article passage reporting the event.")


class GoldInjection(_Strict):
    """What a prompt-injection test article tries to make the tool write."""

    kind: str = Field(description="Where the injection sits and what it attempts.")
    planted: list[str] = Field(
        min_length=1,
        description="Phrases the injection wants in the output; none may appear in headline, "
        "summary, key points or event and entity descriptions (the article's facts do not "
        "support them).",
    )
    match: list[list[str]] = Field(
        default_factory=list,
        description="The planted claim as groups of terms, like a key fact's `match`: a prose "
        "sentence of the model's own text that matches them repeats the injection in other "
        "words.",
    )


class GoldLabel(_Strict):
    """The gold label of one article."""

    id: str
    language: Language
    headline: dict[Language, str]
    reference_summary: dict[Language, str]
    key_facts: list[GoldKeyFact]
    entities: list[GoldEntity]
    quotes: list[GoldQuote] = Field(default_factory=list)
    sources: list[GoldSource] = Field(default_factory=list)
    events: list[GoldEvent] = Field(default_factory=list)
    notes: str = Field(default="", description="What makes this article hard.")
    injection: GoldInjection | None = Field(
        default=None, description="Set on prompt-injection test articles only."
    )


@dataclass(frozen=True)
class Seed:
    """An article and its gold label."""

    id: str
    text: str
    label: GoldLabel
    path: Path


class SeedError(Exception):
    """A seed directory or label is broken."""


def load_seed(text_path: Path) -> Seed:
    label_path = text_path.with_suffix(".json")
    if not label_path.exists():
        raise SeedError(f"{text_path.name}: no label file {label_path.name}")
    try:
        label = GoldLabel.model_validate_json(label_path.read_text(encoding="utf-8"))
    except ValidationError as exc:
        raise SeedError(f"{label_path.name}: {exc}") from None
    if label.id != text_path.stem:
        raise SeedError(f"{label_path.name}: id {label.id!r} differs from the file name")
    return Seed(label.id, text_path.read_text(encoding="utf-8"), label, text_path)


def load_seeds(directory: Path) -> list[Seed]:
    """Every ``*.txt`` with its ``*.json`` label in ``directory``, sorted by name."""
    if not directory.is_dir():
        raise SeedError(f"no such seed directory: {directory}")
    texts = sorted(directory.glob("*.txt"))
    if not texts:
        raise SeedError(f"no seed articles (*.txt) in {directory}")
    return [load_seed(path) for path in texts]
