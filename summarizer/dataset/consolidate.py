"""One real-world event across many articles: event records grouped into consolidated events.

Input: the event records of many articles (a batch results file from any provider), each with
its article's publication date and language. Output: one consolidated event per group of
records that report the same event, with every source article, its claims, the range of
figures and whether the sources disagree.

The matching rule (tunable through :class:`Rule`), for two records of different articles:

* **type**: the same event type, or types of one family (``mentions.FAMILIES``: an attack and
  an armed clash; a disaster and an accident);
* **time**: resolved dates (:mod:`summarizer.dataset.dates`) at most ``days`` apart (one more
  day for each date that is only the publication day, seven for a week, 31 for a month);
* **place**: the same place (:mod:`summarizer.text.places`: exonyms, folded names,
  transliteration variants), or a place one names in the other's evidence sentence ("Caravelí"
  and "... the Arequipa region" with "Arequipa"), where both name one; where one names none,
  the same country and an actor in common.

Blocking keeps it linear in practice (:mod:`summarizer.dataset.grouping`): mentions are compared
only inside blocks of one place (or, naming only a country, one country) and one type family,
swept in date order; a mention that names only a country joins a group only where it matches
exactly one; and no link stretches a group's dates beyond the reach of the two mentions it
joins, so reports of a town shelled daily do not chain into one event.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from summarizer.datamodel.schemas import EventRecord
from summarizer.dataset.grouping import Sweep, group, sweep_in_memory
from summarizer.dataset.mentions import Mention, Rule
from summarizer.text.gazetteer import Geo, locate
from summarizer.text.places import place_key


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
    #: Where it is on the map (:class:`summarizer.text.gazetteer.Geo` as a dict): empty
    #: fields where the gazetteer cannot tell.
    geo: dict[str, object] = field(default_factory=dict)


#: A mention with its event record, decoded for the time its group is written.
Report = tuple[Mention, EventRecord]


def _written(reports: list[Report], key: str | None, field_name: str) -> str | None:
    """The most common spelling of the place or country ``key`` in ``reports``, an English
    report's first (ACLED and GDELT are English datasets)."""
    if key is None:
        return None
    names = Counter(
        (m.language != "en", str(name))
        for m, event in reports
        if (name := getattr(event.location, field_name)) and place_key(name) == key
    )
    if not names:
        return None
    return min(names, key=lambda n: (n[0], -names[n], n[1]))[1]


def _placed(reports: list[Report], key: str | None) -> str | None:
    return _written(reports, key, "place") or _written(reports, key, "region")


def _geo(reports: list[Report], place: str | None, country: str | None) -> Geo:
    """The event on the map: its place (else another place its reports name, most named
    first, else a town their evidence names), else the first-level region its reports name,
    in its country."""
    names = Counter(e.location.place for _, e in reports if e.location.place)
    named = Counter(key for m, _ in reports for key in m.places)  # towns the evidence names
    regions = Counter(e.location.region for _, e in reports if e.location.region)
    region = regions.most_common(1)[0][0] if regions else None
    candidates = [place] + [name for name, _ in names.most_common() if name != place]
    candidates += [key for key, _ in named.most_common()]
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
    return min(reports, key=lambda m: (m.published or date.max, m.article, m.start, m.index))


def content_id(reports: list[Mention]) -> str:
    """An event's id from its content: a hash of its earliest report's article id and evidence
    offsets (the same whatever the input order, and in every re-run)."""
    first = _earliest(reports)
    key = mention_key(first.article, {"start": first.start, "end": first.end})
    return f"E{hashlib.sha256(key.encode()).hexdigest()[:12]}"


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


def _first_dated(reports: list[Mention]) -> Mention | None:
    """The report whose date the event takes: a day-precise one first, the earliest."""
    days = [m for m in reports if m.date is not None]
    return min(days, key=lambda m: (m.precision != "day", m.date)) if days else None


def _consolidated(id_: str, mentions: list[Mention]) -> Consolidated:
    """One event of the reports ``mentions`` (sorted), their records decoded for the while."""
    reports = [(m, m.event) for m in mentions]
    first = _first_dated(mentions)
    places = Counter(m.place for m in mentions if m.place)
    countries = Counter(m.country for m in mentions if m.country)
    actors = Counter(a for _, e in reports for a in e.actors)
    targets = Counter(t for _, e in reports for t in e.targets)
    types = Counter(m.event_type for m in mentions)
    place = places.most_common(1)[0][0] if places else None
    country = countries.most_common(1)[0][0] if countries else None
    place_name = _placed(reports, place)
    country_name = _written(reports, country, "country")
    return Consolidated(
        id=id_,
        event_type=types.most_common(1)[0][0],
        date=first.date.isoformat() if first and first.date else None,
        date_precision=first.precision if first else None,
        place=place,
        country=country,
        actors=[a for a, _ in actors.most_common(5)],
        mentions=[
            {
                "article": m.article,
                "language": m.language,
                "published": m.published.isoformat() if m.published else None,
                "event": m.index,
                "description": e.description,
                "source_attribution": e.source_attribution,
                "evidence": e.evidence.model_dump(),
                "casualty_claims": [c.model_dump() for c in e.casualty_claims],
            }
            for m, e in reports
        ],
        figures=_figures(e for _, e in reports),
        targets=[t for t, _ in targets.most_common(5)],
        place_name=place_name,
        country_name=country_name,
        geo=asdict(_geo(reports, place_name, country_name)),
    )


def iter_consolidated(
    mentions: list[Mention], rule: Rule | None = None, sweep: Sweep = sweep_in_memory
) -> Iterator[Consolidated]:
    """The consolidated events of ``mentions`` (module docstring), each with its
    :func:`content_id`, ordered by date and id (the input order changes nothing), one at a
    time: a million reports are written without all their events in memory at once."""
    ordered = []
    for members in group(mentions, rule, sweep):
        reports = sorted((mentions[i] for i in members), key=lambda m: m.key)
        first = _first_dated(reports)
        day = first.date.isoformat() if first and first.date else ""
        ordered.append((day, content_id(reports), reports))
    ordered.sort(key=lambda entry: entry[:2])
    for _, id_, reports in ordered:
        yield _consolidated(id_, reports)


def consolidate(mentions: list[Mention], rule: Rule | None = None) -> list[Consolidated]:
    """:func:`iter_consolidated` as a list."""
    return list(iter_consolidated(mentions, rule))
