"""Split an article that is too long for one call into overlapping parts.

Parts end on paragraph boundaries (blank lines); a paragraph longer than a part is split at
sentence ends, and a sentence longer than a part at a space. Consecutive parts share their
boundary paragraph, so a fact that straddles the cut is seen whole at least once. Every part is
an exact slice of the article, so offsets found in a part shift to offsets in the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?…“\"])\s+")


@dataclass(frozen=True)
class Chunk:
    """``text == article[start:start + len(text)]``."""

    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def _pieces(text: str, pattern: re.Pattern[str], offset: int) -> list[tuple[int, int]]:
    """Spans of ``text`` between the separators that ``pattern`` matches, as article offsets."""
    spans, position = [], 0
    for match in pattern.finditer(text):
        if match.start() > position:
            spans.append((offset + position, offset + match.start()))
        position = match.end()
    if position < len(text):
        spans.append((offset + position, offset + len(text)))
    return spans


def _units(article: str, limit: int) -> list[tuple[int, int]]:
    """Paragraphs, with any paragraph longer than ``limit`` cut into sentences or words."""
    units: list[tuple[int, int]] = []
    for start, end in _pieces(article, _PARAGRAPH_BREAK, 0):
        if end - start <= limit:
            units.append((start, end))
            continue
        for s_start, s_end in _pieces(article[start:end], _SENTENCE_END, start):
            while s_end - s_start > limit:
                cut = article.rfind(" ", s_start + 1, s_start + limit)
                cut = cut if cut > s_start else s_start + limit
                units.append((s_start, cut))
                s_start = cut
            units.append((s_start, s_end))
    return units


def split_into_chunks(article: str, limit: int) -> list[Chunk]:
    """The parts of ``article``, each at most ``limit`` characters; one part if it fits."""
    if len(article) <= limit:
        return [Chunk(0, article)]
    units = _units(article, limit)
    chunks: list[Chunk] = []
    first = 0
    while first < len(units):
        last = first
        while last + 1 < len(units) and units[last + 1][1] - units[first][0] <= limit:
            last += 1
        start, end = units[first][0], units[last][1]
        chunks.append(Chunk(start, article[start:end]))
        if last + 1 >= len(units):
            break
        # Overlap: the next part starts with this part's last unit, unless that unit is the
        # whole part (no progress otherwise).
        first = last if last > first else last + 1
    return chunks
