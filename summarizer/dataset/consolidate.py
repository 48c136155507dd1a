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
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from summarizer.datamodel.schemas import EventRecord
from summarizer.datamodel.types import Language
from summarizer.dataset.dates import Precision, resolve
from summarizer.dataset.gazetteer import Geo, locate
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
        when, precision = _record_date(event)
        if when is None:  # only a record without a resolved date is resolved again
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
    targets: list[str] = field(default_factory=list)
    #: The place and country as the reports write them (English ones first), for display;
    #: ``place``/``country`` are the folded keys events are matched on.
    place_name: str | None = None
    country_name: str | None = None
    #: Where it is on the map (:class:`summarizer.dataset.gazetteer.Geo` as a dict): empty
    #: fields where the gazetteer cannot tell.
    geo: dict[str, object] = field(default_factory=dict)


def _written(reports: list[Mention], key: str | None, field_name: str) -> str | None:
    """The most common spelling of the place or country ``key`` in ``reports``, an English
    report's first (ACLED and GDELT are English datasets)."""
    if key is None:
        return None
    names = Counter(
        (m.language != "en", str(getattr(m.event.location, field_name)))
        for m in reports
        if getattr(m.event.location, field_name)
        and place_key(getattr(m.event.location, field_name)) == key
    )
    if not names:
        return None
    return min(names, key=lambda n: (n[0], -names[n], n[1]))[1]


def _placed(reports: list[Mention], key: str | None) -> str | None:
    return _written(reports, key, "place") or _written(reports, key, "region")


def _geo(reports: list[Mention], place: str | None, country: str | None) -> Geo:
    """The event on the map: its place (else another place its reports name, most named
    first), else the first-level region its reports name, in its country."""
    names = Counter(m.event.location.place for m in reports if m.event.location.place)
    regions = Counter(m.event.location.region for m in reports if m.event.location.region)
    region = regions.most_common(1)[0][0] if regions else None
    candidates = [place] + [name for name, _ in names.most_common() if name != place]
    for name in candidates:
        geo = locate(name, country, region)
        if geo.latitude is not None:
            return geo
    return locate(place, country, region)


def _claimed(event: EventRecord) -> list[tuple[str, int | None, int | None]]:
    """(kind, min, max) of each figure a record claims: its casualty claims, or, for a record
    without any (another provider's, an older one), its ``fatalities`` and ``injured``."""
    if event.casualty_claims:
        return [(c.kind, c.min, c.max) for c in event.casualty_claims]
    fields = (("killed", event.fatalities), ("injured", event.injured))
    return [(kind, value, value) for kind, value in fields if value is not None]


def _figures(events: Iterable[EventRecord]) -> dict[str, dict[str, object]]:
    """Per casualty kind: the lowest and highest figure claimed, and whether claims differ."""
    ranges: dict[str, list[tuple[int | None, int | None]]] = defaultdict(list)
    for event in events:
        for kind, low, high in _claimed(event):
            ranges[kind].append((low, high))
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


def mention_key(article: str, evidence: dict[str, object] | Any) -> str:
    """What identifies one report across runs: its article id and evidence offsets."""
    start = evidence.get("start") if isinstance(evidence, dict) else evidence.start
    end = evidence.get("end") if isinstance(evidence, dict) else evidence.end
    return f"{article}\x1f{start}\x1f{end}"


def _earliest(reports: list[Mention]) -> Mention:
    return min(
        reports,
        key=lambda m: (m.published or date.max, m.article, m.event.evidence.start or 0, m.index),
    )


def content_id(reports: list[Mention]) -> str:
    """An event's id from its content: a hash of its earliest report's article id and evidence
    offsets (the same whatever the input order, and in every re-run)."""
    first = _earliest(reports)
    digest = hashlib.sha256(mention_key(first.article, first.event.evidence).encode()).hexdigest()
    return f"E{digest[:12]}"


def keep_previous_ids(events: list[Consolidated], previous: dict[str, str]) -> tuple[int, int]:
    """Give each event the id its reports had in an earlier dataset (``previous``: mention key
    -> id), the one most of them had; an id goes to one event only (a split keeps it on the
    part with most of its reports). Returns (ids kept, events new or split off)."""
    votes = []
    for position, event in enumerate(events):
        old = Counter(
            previous[key]
            for m in event.mentions
            if (key := mention_key(str(m["article"]), m["evidence"])) in previous
        )
        votes += [(-count, old_id, position) for old_id, count in old.items()]
    taken: set[str] = set()
    kept: set[int] = set()
    for _count, old_id, position in sorted(votes):
        if old_id not in taken and position not in kept:
            events[position].id = old_id
            taken.add(old_id)
            kept.add(position)
    return len(kept), len(events) - len(kept)


def consolidate(mentions: list[Mention], rule: Rule | None = None) -> list[Consolidated]:
    """The consolidated events of ``mentions`` (module docstring), each with its
    :func:`content_id`, ordered by date and id: the input order changes nothing."""
    result = []
    for members in group(mentions, rule):
        reports = sorted(
            (mentions[i] for i in members),
            key=lambda m: (m.article, m.event.evidence.start or 0, m.index),
        )
        days = [m for m in reports if m.date is not None]
        first = min(days, key=lambda m: (m.precision != "day", m.date)) if days else None
        places = Counter(m.place for m in reports if m.place)
        countries = Counter(m.country for m in reports if m.country)
        actors = Counter(a for m in reports for a in m.event.actors)
        targets = Counter(t for m in reports for t in m.event.targets)
        types = Counter(m.event.event_type for m in reports)
        result.append(
            Consolidated(
                id=content_id(reports),
                event_type=str(types.most_common(1)[0][0]),
                date=first.date.isoformat() if first and first.date else None,
                date_precision=first.precision if first else None,
                place=(place := places.most_common(1)[0][0] if places else None),
                country=(country := countries.most_common(1)[0][0] if countries else None),
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
                targets=[t for t, _ in targets.most_common(5)],
                place_name=(place_name := _placed(reports, place)),
                country_name=(country_name := _written(reports, country, "country")),
                geo=asdict(_geo(reports, place_name, country_name)),
            )
        )
    return sorted(result, key=lambda e: (e.date or "", e.id))
