"""Which mentions report one event: blocking, sweeping and bounded linking, linear in practice.

No two mentions are compared unless they could match (:func:`summarizer.dataset.mentions.
matches`), and no big block is compared pairwise:

1. **Mentions that name a place below the country** are blocked by that place (fuzzy spelling
   variants of a name share one block: names whose transliteration skeletons begin alike and
   are within :data:`summarizer.text.places.SAME_NAME`) and by every such place their
   evidence sentence names, and by event-type family; inside a block they are swept in date
   order, each compared only with the mentions within its reach of days.
2. **A mention that names only a country** ("vague") joins the group of mentions with places
   that it matches (same country, an actor in common, type, days) only when exactly one group
   does: a report of "Russian drones over Ukraine" is not the link that makes Kharkiv's and
   Odesa's strikes of one night one event.
3. Vague mentions that joined no group are swept against each other, blocked by country and
   family.

Links are made closest dates first (ties in the mentions' own order, never the input's), and a
link that would stretch a group's dates beyond the reach of the two mentions it joins is not
made: daily strikes on one town stay daily events instead of chaining into one of two years.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from summarizer.dataset.mentions import Mention, Rule, matches
from summarizer.text.places import SAME_NAME, skeleton

#: Links made from one mention to later ones of its block, per date precision: the nearest
#: dates first, enough to join it to its group (a group spans a few days, and the mentions in it
#: are linked to each other), few enough that a dense block (every report of a country's
#: shelling that names no town) does not make a pair of every two.
NEAREST = 8

#: A matched pair: (days apart, the two mentions' ranks in their own order, i, j).
_Pair = tuple[int, tuple[object, ...], int, int]


class _UnionFind:
    """Union-find over ``size`` items; a joined set's root is its smallest item."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> int:
        """Join the sets of the roots ``a`` and ``b``; the joined set's root."""
        self.parent[max(a, b)] = min(a, b)
        return min(a, b)


class _Groups(_UnionFind):
    """Union-find over mentions whose groups keep their first and last day."""

    def __init__(self, mentions: list[Mention]) -> None:
        super().__init__(len(mentions))
        days = [m.date.toordinal() if m.date else 0 for m in mentions]
        self.low, self.high = days[:], days[:]

    def link(self, i: int, j: int, reach: int) -> None:
        """Join the groups of ``i`` and ``j`` unless the joined group spans more than
        ``reach`` days."""
        a, b = self.root(i), self.root(j)
        if a == b:
            return
        low, high = min(self.low[a], self.low[b]), max(self.high[a], self.high[b])
        if high - low > reach:
            return
        joined = self.join(a, b)
        self.low[joined], self.high[joined] = low, high


def _place_ids(keys: Iterable[str]) -> dict[str, int]:
    """Place key -> the id of its block: keys whose skeletons begin alike and are within
    ``SAME_NAME`` share one (rapidfuzz's ``cdist``, bucketed by first letter)."""
    import numpy as np
    from rapidfuzz import fuzz, process

    ordered = sorted(set(keys))
    similar = _UnionFind(len(ordered))
    skeletons = [skeleton(k) for k in ordered]
    buckets: dict[str, list[int]] = defaultdict(list)
    for n, name in enumerate(skeletons):
        buckets[name[:1]].append(n)
    for members in buckets.values():
        names = [skeletons[n] for n in members]
        for first in range(0, len(names), 2048):  # bounded memory: 2048 rows at a time
            scores = process.cdist(
                names[first : first + 2048],
                names,
                scorer=fuzz.ratio,
                score_cutoff=SAME_NAME,
                dtype=np.uint8,
            )
            for row, column in zip(*np.nonzero(scores), strict=True):
                a = similar.root(members[first + int(row)])
                b = similar.root(members[int(column)])
                if a != b:
                    similar.join(a, b)
    return {key: similar.root(n) for n, key in enumerate(ordered)}


def _named_in(text: str, vocabulary: set[str], longest: int) -> Iterator[str]:
    """The vocabulary's keys (folded, up to ``longest`` words) that ``text`` (folded) holds."""
    words = text.split()
    for start in range(len(words)):
        for size in range(1, min(longest, len(words) - start) + 1):
            phrase = " ".join(words[start : start + size])
            if phrase in vocabulary:
                yield phrase


#: A candidate pair from a block's sweep: (i, the date-precision level of j, j).
Candidate = tuple[int, int, int]
#: What sweeps blocks: (mentions, blocks, rule, ranks) -> candidates, for each i and level in
#: date order (:func:`sweep_in_memory`; :mod:`summarizer.dataset.duckdb_sweep` out of core).
Sweep = Callable[[list[Mention], list[list[int]], Rule, list[int]], Iterator[Candidate]]


def in_date_order(mentions: list[Mention], members: list[int], order: list[int]) -> list[int]:
    """A block's members by date (then in their own order): their positions in the sweep."""
    return sorted(members, key=lambda i: (mentions[i].date, order[i]))


def sweep_in_memory(
    mentions: list[Mention], blocks: list[list[int]], rule: Rule, order: list[int]
) -> Iterator[Candidate]:
    """Each block's mentions against the later ones within their reach of days, per date
    precision level (so one month-precise mention does not widen every reach), nearest first."""
    for members in blocks:
        dated = in_date_order(mentions, members, order)
        levels: dict[int, list[tuple[int, int]]] = defaultdict(list)  # slack -> (day, position)
        for position, i in enumerate(dated):
            levels[mentions[i].slack].append((mentions[i].date.toordinal(), position))  # type: ignore[union-attr]
        for position, i in enumerate(dated):
            day = mentions[i].date.toordinal()  # type: ignore[union-attr]
            for slack, entries in sorted(levels.items()):
                reach = rule.days + mentions[i].slack + slack
                lo = bisect.bisect_right(entries, (day, position))
                hi = bisect.bisect_right(entries, (day + reach, len(dated)))
                for _, other in entries[lo:hi]:
                    yield i, slack, dated[other]


def _matched(
    mentions: list[Mention], candidates: Iterable[Candidate], rule: Rule, order: list[int]
) -> Iterator[_Pair]:
    """The candidates that match, at most :data:`NEAREST` per mention and level."""
    current, found = None, 0
    for i, level, j in candidates:
        if (i, level) != current:
            current, found = (i, level), 0
        if found == NEAREST or not matches(mentions[i], mentions[j], rule):
            continue
        found += 1
        days = abs(mentions[i].date.toordinal() - mentions[j].date.toordinal())  # type: ignore[union-attr]
        yield days, (order[i], order[j]), i, j


def _place_blocks(mentions: list[Mention], specific: list[int]) -> list[list[int]]:
    keys = {k for i in specific for k in mentions[i].specific}
    ids = _place_ids(keys)
    longest = max((k.count(" ") + 1 for k in keys), default=0)
    blocks: dict[tuple[int, str], set[int]] = defaultdict(set)
    for i in specific:
        mention = mentions[i]
        named = set(mention.specific) | set(_named_in(mention.text, keys, longest))
        for key in named:
            blocks[(ids[key], mention.family)].add(i)
    return [sorted(blocks[block]) for block in sorted(blocks)]


def _attach(
    mentions: list[Mention], vague: list[int], specific: list[int], groups: _Groups, rule: Rule
) -> list[int]:
    """Join each vague mention to the one group it matches; the vague mentions left."""
    index: dict[tuple[str, str, str], list[tuple[int, int]]] = defaultdict(list)
    for i in specific:
        mention = mentions[i]
        for where in mention.where:
            for actor in mention.actors:
                index[(where, mention.family, actor)].append((mention.date.toordinal(), i))  # type: ignore[union-attr]
    for entries in index.values():
        entries.sort()
    widest = max((mentions[i].slack for i in specific), default=0)

    def within_reach(mention: Mention) -> Iterator[int]:
        """The mentions with places that share a place key, family and actor with ``mention``
        and lie within its reach of days."""
        day = mention.date.toordinal()  # type: ignore[union-attr]
        reach = rule.days + mention.slack + widest
        for where in sorted(mention.where):
            for actor in sorted(mention.actors):
                entries = index.get((where, mention.family, actor), [])
                lo = bisect.bisect_left(entries, (day - reach, -1))
                hi = bisect.bisect_right(entries, (day + reach, len(mentions)))
                yield from (i for _, i in entries[lo:hi])

    left = []
    for v in vague:
        mention = mentions[v]
        found: dict[int, int] = {}  # group -> a member it matches
        for i in within_reach(mention):
            if groups.root(i) not in found and matches(mention, mentions[i], rule):
                found[groups.root(i)] = i
            if len(found) > 1:  # two groups could be meant: none is
                break
        if len(found) == 1:
            (i,) = found.values()
            groups.link(i, v, rule.days + mention.slack + mentions[i].slack)
        else:
            left.append(v)
    return left


def _link_all(groups: _Groups, pairs: Iterable[_Pair], mentions: list[Mention], rule: Rule) -> None:
    for _, _, i, j in sorted(pairs):
        groups.link(i, j, rule.days + mentions[i].slack + mentions[j].slack)


def group(
    mentions: list[Mention], rule: Rule | None = None, sweep: Sweep = sweep_in_memory
) -> list[list[int]]:
    """The groups of mentions that report one event, as sorted lists of indexes (module
    docstring); a mention without a date, or without any place, is a group of its own.
    ``sweep`` finds each block's candidates (any sweep gives the same groups)."""
    rule = rule or Rule()
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].key)
    rank = [0] * len(mentions)
    for position, i in enumerate(order):
        rank[i] = position
    groups = _Groups(mentions)
    dated = [i for i in order if mentions[i].date is not None]
    specific = [i for i in dated if mentions[i].specific]
    vague = [i for i in dated if not mentions[i].specific and mentions[i].where]
    blocks = _place_blocks(mentions, specific)
    _link_all(
        groups, _matched(mentions, sweep(mentions, blocks, rule, rank), rule, rank), mentions, rule
    )
    left = _attach(mentions, vague, specific, groups, rule)
    by_country: dict[tuple[str, str], list[int]] = defaultdict(list)
    for v in left:
        for where in mentions[v].where:
            by_country[(where, mentions[v].family)].append(v)
    blocks = [by_country[key] for key in sorted(by_country)]
    _link_all(
        groups, _matched(mentions, sweep(mentions, blocks, rule, rank), rule, rank), mentions, rule
    )
    found: dict[int, list[int]] = defaultdict(list)
    for i in range(len(mentions)):
        found[groups.root(i)].append(i)
    return sorted(found.values(), key=lambda g: g[0])
