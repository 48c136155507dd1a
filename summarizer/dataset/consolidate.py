"""One real-world event across many articles: event records grouped into consolidated events.

Input: the event records of many articles (a batch results file from any provider), each with
its article's publication date and language. Output: one consolidated event per group of
records that report the same event, with every source article, its claims, the range of
figures and whether the sources disagree.

The matching rule (tunable through :class:`Rule`), for two records of different articles:

* **type**: the same event type, or types of one family (:data:`FAMILIES`: an attack and an
  armed clash; a disaster and an accident);
* **time**: resolved dates (:mod:`summarizer.dataset.dates`) at most ``days`` apart (one more
  day for each date that is only the publication day, seven for a week, 31 for a month);
* **place**: the same place (:mod:`summarizer.dataset.places`: exonyms, folded names,
  transliteration variants), or a place one names in the other's evidence sentence ("Caravelí"
  and "... the Arequipa region" with "Arequipa"), where both name one; where one names none,
  the same country and an actor in common.

Blocking keeps it linear in practice: records are bucketed by country (or the places their
evidence names) and compared only within a bucket and within ``days`` of each other in date
order; the groups are the connected components of the matched pairs
(``scipy.sparse.csgraph.connected_components``).
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from summarizer.datamodel.schemas import EventRecord
from summarizer.datamodel.types import Language
from summarizer.dataset.dates import Precision, resolve
from summarizer.dataset.places import fold, place_key, places_in, same_place
from summarizer.text.lexicon import fold_token

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


@dataclass
class Mention:
    """One event record of one article, with what matching needs."""

    article: str
    language: Language
    published: date | None
    index: int
    event: EventRecord
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
        when, precision = resolve([event.time.text, event.evidence.text], published)
        place = place_key(event.location.place) or place_key(event.location.region)
        actors = frozenset(
            fold_token(word) for name in event.actors for word in name.split() if len(word) > 2
        )
        return cls(
            article=article,
            language=language,
            published=published,
            index=index,
            event=event,
            date=when,
            precision=precision,
            place=place,
            country=place_key(event.location.country),
            places=tuple(places_in(event.evidence.text)),
            actors=actors,
            text=f" {fold(event.evidence.text)} ",
        )

    @property
    def where(self) -> set[str]:
        """Every place key this mention names (its location and its evidence's places)."""
        return {k for k in (self.place, self.country, *self.places) if k}


def compatible_types(a: str, b: str) -> bool:
    return a == b or any(a in family and b in family for family in FAMILIES)


def matches(a: Mention, b: Mention, rule: Rule) -> bool:
    """Whether two mentions report the same event (module docstring)."""
    if a.article == b.article or not compatible_types(a.event.event_type, b.event.event_type):
        return False
    if a.date is None or b.date is None:
        return False
    slack = SLACK[a.precision or "published"] + SLACK[b.precision or "published"]
    if abs((a.date - b.date).days) > rule.days + slack:
        return False
    specific_a = {a.place, *a.places} - {a.country, None}
    specific_b = {b.place, *b.places} - {b.country, None}
    if specific_a and specific_b:
        return any(same_place(x, y) for x in specific_a for y in specific_b) or any(
            f" {x} " in other.text
            for mine, other in ((specific_a, b), (specific_b, a))
            for x in mine
        )
    return bool(a.where & b.where) and bool(a.actors & b.actors or not (specific_a or specific_b))


def _blocks(mentions: list[Mention]) -> dict[str, list[int]]:
    """Mention indexes by every place key they name ("?" for none)."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, mention in enumerate(mentions):
        for key in mention.where or {"?"}:
            blocks[key].append(i)
    return blocks


def group(mentions: list[Mention], rule: Rule | None = None) -> list[list[int]]:
    """The groups of mentions that report one event, as lists of indexes."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    rule = rule or Rule()
    rows, cols = [], []
    for members in _blocks(mentions).values():
        dated = sorted(
            (m for m in members if mentions[m].date is not None), key=lambda m: mentions[m].date
        )  # type: ignore[arg-type, return-value]
        days = [mentions[m].date.toordinal() for m in dated]  # type: ignore[union-attr]
        slacks = [SLACK[mentions[m].precision or "published"] for m in dated]
        most = max(slacks, default=0)
        for position, i in enumerate(dated):
            # no later mention within reach: its slack is at most the block's largest
            reach = days[position] + rule.days + slacks[position] + most
            stop = bisect.bisect_right(days, reach)
            for j in dated[position + 1 : stop]:
                if matches(mentions[i], mentions[j], rule):
                    rows.append(i)
                    cols.append(j)
    size = len(mentions)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    groups: dict[int, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        groups[int(label)].append(index)
    return sorted(groups.values(), key=lambda g: g[0])


@dataclass
class Consolidated:
    """One real-world event and every report of it."""

    id: str
    event_type: str
    date: str | None
    date_precision: str | None
    place: str | None
    country: str | None
    actors: list[str]
    mentions: list[dict[str, object]] = field(default_factory=list)
    figures: dict[str, dict[str, object]] = field(default_factory=dict)


def _figures(events: Iterable[EventRecord]) -> dict[str, dict[str, object]]:
    """Per casualty kind: the lowest and highest figure claimed, and whether claims differ."""
    ranges: dict[str, list[tuple[int | None, int | None]]] = defaultdict(list)
    for event in events:
        for claim in event.casualty_claims:
            ranges[claim.kind].append((claim.min, claim.max))
    out: dict[str, dict[str, object]] = {}
    for kind, claimed in ranges.items():
        lows = [low for low, _ in claimed if low is not None]
        highs = [high for _, high in claimed if high is not None]
        out[kind] = {
            "min": min(lows) if lows else None,
            "max": max(highs) if highs else None,
            "claims": len(claimed),
            "disagree": len(set(claimed)) > 1,
        }
    return out


def consolidate(mentions: list[Mention], rule: Rule | None = None) -> list[Consolidated]:
    """The consolidated events of ``mentions`` (module docstring)."""
    result = []
    for number, members in enumerate(group(mentions, rule), start=1):
        reports = [mentions[i] for i in members]
        days = [m for m in reports if m.date is not None]
        first = min(days, key=lambda m: (m.precision != "day", m.date)) if days else None
        places = Counter(m.place for m in reports if m.place)
        countries = Counter(m.country for m in reports if m.country)
        actors = Counter(a for m in reports for a in m.event.actors)
        types = Counter(m.event.event_type for m in reports)
        result.append(
            Consolidated(
                id=f"E{number}",
                event_type=str(types.most_common(1)[0][0]),
                date=first.date.isoformat() if first and first.date else None,
                date_precision=first.precision if first else None,
                place=places.most_common(1)[0][0] if places else None,
                country=countries.most_common(1)[0][0] if countries else None,
                actors=[a for a, _ in actors.most_common(5)],
                mentions=[
                    {
                        "article": m.article,
                        "language": m.language,
                        "published": m.published.isoformat() if m.published else None,
                        "event": m.index,
                        "description": m.event.description,
                        "source_attribution": m.event.source_attribution,
                        "evidence": m.event.evidence.model_dump(),
                        "casualty_claims": [c.model_dump() for c in m.event.casualty_claims],
                    }
                    for m in reports
                ],
                figures=_figures(m.event for m in reports),
            )
        )
    return result
