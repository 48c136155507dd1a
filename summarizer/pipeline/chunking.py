"""Split an article that is too long for one call into overlapping parts.

Parts end on paragraph boundaries (blank lines); a paragraph longer than a part is split at
sentence ends, and a sentence longer than a part at a space. Consecutive parts share their
boundary paragraph, so a fact that straddles the cut is seen whole at least once. Every part is
an exact slice of the article, so offsets found in a part shift to offsets in the article.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.text.segmentation import paragraph_spans, sentence_spans


@dataclass(frozen=True)
class Chunk:
    """``text == article[start:start + len(text)]``."""

    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def _units(article: str, limit: int) -> list[tuple[int, int]]:
    """Paragraphs, with any paragraph longer than ``limit`` cut into sentences or words."""
    units: list[tuple[int, int]] = []
    for start, end in paragraph_spans(article):
        if end - start <= limit:
            units.append((start, end))
            continue
        for s_start, s_end in sentence_spans(article, start, end):
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
