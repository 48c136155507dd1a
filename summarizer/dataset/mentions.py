"""One report of an event (:class:`Mention`) and the rule that says whether two report one event
(:func:`matches`; the rule is described in :mod:`summarizer.dataset.consolidate`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from summarizer.datamodel.schemas import EventRecord
from summarizer.datamodel.types import Language
from summarizer.dataset.dates import Precision, resolve
from summarizer.text.gazetteer import towns_named
from summarizer.text.lexicon import fold_token
from summarizer.text.places import fold, place_key, places_in, same_place
from summarizer.text.speakers import DATELINE

#: Event types that two reports of one event may give it.
FAMILIES: list[frozenset[str]] = [
    frozenset({"attack", "armed_clash"}),
    frozenset({"disaster", "accident"}),
    frozenset({"protest", "legal"}),
]
SLACK = {"day": 0, "published": 1, "week": 7, "month": 31}


@dataclass(frozen=True)
class Rule:
    """The matching rule's knobs (module docstring)."""

    days: int = 1


@dataclass(slots=True)
class Mention:
    """One event record of one article, with what matching needs (slotted: a million fit)."""

    article: str
    language: Language
    published: date | None
    index: int
    #: The event record as compact JSON (decoded by :attr:`event` when a group is written):
    #: a million pydantic records would not fit in memory, a million of these do.
    record: bytes
    event_type: str
    start: int  # the evidence's first and last character in the article
    end: int
    date: date | None = None
    precision: Precision | None = None
    place: str | None = None
    country: str | None = None
    places: tuple[str, ...] = ()
    actors: frozenset[str] = frozenset()
    text: str = ""  # the evidence sentence, folded (a place one report names, another's says)

    @classmethod
    def of(
        cls,
        article: str,
        language: Language,
        published: date | None,
        index: int,
        event: EventRecord,
    ) -> Mention:
        when, precision = _record_date(event)
        if when is None:  # only a record without a resolved date is resolved again
            when, precision = resolve([event.time.text, event.evidence.text], published)
        place = place_key(event.location.place) or place_key(event.location.region)
        # the places the sentence names, not the dateline's ("KYIV – ... in Kharkiv": Kharkiv)
        sentence = DATELINE.sub("", event.evidence.text)
        actors = frozenset(
            fold_token(word) for name in event.actors for word in name.split() if len(word) > 2
        )
        return cls(
            article=article,
            language=language,
            published=published,
            index=index,
            record=event.model_dump_json(exclude_defaults=True).encode(),
            event_type=str(event.event_type),
            start=event.evidence.start or 0,
            end=event.evidence.end or 0,
            date=when,
            precision=precision,
            place=place,
            country=place_key(event.location.country),
            places=tuple(dict.fromkeys([*places_in(sentence), *towns_named(sentence)])),
            actors=actors,
            text=f" {fold(sentence)} ",
        )

    @property
    def event(self) -> EventRecord:
        """The event record (decoded anew on each call: keep it while it is needed)."""
        return EventRecord.model_validate_json(self.record)

    @property
    def where(self) -> set[str]:
        """Every place key this mention names (its location and its evidence's places)."""
        return {k for k in (self.place, self.country, *self.places) if k}

    @property
    def specific(self) -> set[str]:
        """The places below the country this mention names (none: it is only "vague")."""
        return {k for k in (self.place, *self.places) if k} - {self.country}

    @property
    def slack(self) -> int:
        """Days its date may be off (:data:`SLACK` of its precision)."""
        return SLACK[self.precision or "published"]

    @property
    def family(self) -> str:
        """Its event type's family (:data:`FAMILIES`), or the type itself."""
        kind = self.event_type
        return next((min(f) for f in FAMILIES if kind in f), kind)

    @property
    def key(self) -> tuple[str, int, int]:
        """What orders mentions the same way in any input order: article, evidence, index."""
        return (self.article, self.start, self.index)


def _record_date(event: EventRecord) -> tuple[date | None, Precision | None]:
    """The date the record itself resolved (``time.date``), at day precision."""
    if not event.time.date:
        return None, None
    try:
        return date.fromisoformat(event.time.date), "day"
    except ValueError:
        return None, None


def compatible_types(a: str, b: str) -> bool:
    return a == b or any(a in family and b in family for family in FAMILIES)


def matches(a: Mention, b: Mention, rule: Rule) -> bool:
    """Whether two mentions report the same event (:mod:`summarizer.dataset.consolidate`)."""
    if a.article == b.article or not compatible_types(a.event_type, b.event_type):
        return False
    if a.date is None or b.date is None:
        return False
    if abs((a.date - b.date).days) > rule.days + a.slack + b.slack:
        return False
    specific_a, specific_b = a.specific, b.specific
    if specific_a and specific_b:
        return any(same_place(x, y) for x in specific_a for y in specific_b) or any(
            f" {x} " in other.text
            for mine, other in ((specific_a, b), (specific_b, a))
            for x in mine
        )
    return bool(a.where & b.where) and bool(a.actors & b.actors or not (specific_a or specific_b))
