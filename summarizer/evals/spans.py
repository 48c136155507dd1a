"""Evidence and quote spans for scoring: verified against the article, compared by overlap.

A predicted span counts only where its text really is at its offsets
(``article[start:end] == text``); a span without offsets is located in the article, and one
whose offsets point elsewhere is ungrounded (its claimed position is wrong), so it matches
nothing.

Evidence is compared at the level of the article's sentences: a span stands for the sentences
it touches, and two spans overlap by the intersection over union (IoU) of those sets. Evidence
that touches more than :data:`MAX_EVIDENCE_SENTENCES` sentences supports no event: a span the
size of a paragraph or of the article would otherwise "overlap" every gold event. Quotes are
compared by the IoU of their characters, so a quote that spans its whole paragraph does not
count as finding the few words the gold quotes.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

from summarizer.text.matching import Span, locate
from summarizer.text.segmentation import paragraph_spans, sentence_spans

#: Lowest IoU at which a predicted evidence span (sentence sets) or quote (characters)
#: matches a gold one.
SPAN_MATCH = 0.5
#: Evidence spanning more sentences than this matches no gold event.
MAX_EVIDENCE_SENTENCES = 3


def verified_span(text: str, start: int | None, end: int | None, article: str) -> Span | None:
    """The span of a predicted passage, or None when it is not grounded in ``article``."""
    if start is not None and end is not None:
        if 0 <= start <= end <= len(article) and article[start:end] == text and text:
            return Span(start, end, text)
        return None
    return locate(text, article)


@lru_cache(maxsize=64)
def _sentence_starts(article: str) -> tuple[int, ...]:
    return tuple(
        s
        for p_start, p_end in paragraph_spans(article)
        for s, _ in sentence_spans(article, p_start, p_end)
    )


def sentences_of(span: Span, article: str) -> frozenset[int]:
    """Indexes of the article sentences that ``span`` touches."""
    starts = _sentence_starts(article)
    first = max(bisect_right(starts, span.start) - 1, 0)
    last = max(bisect_right(starts, max(span.end - 1, span.start)) - 1, 0)
    return frozenset(range(first, last + 1))


def sentence_iou(a: Span | None, b: Span | None, article: str) -> float:
    """IoU of the sentence sets of two evidence spans; 0 when either is missing or the
    predicted one (``a``) is too wide to be evidence."""
    if a is None or b is None:
        return 0.0
    mine, theirs = sentences_of(a, article), sentences_of(b, article)
    if len(mine) > MAX_EVIDENCE_SENTENCES:
        return 0.0
    return len(mine & theirs) / len(mine | theirs)


def char_iou(a: Span | None, b: Span | None) -> float:
    """IoU of the characters of two spans; 0 when either is missing."""
    if a is None or b is None:
        return 0.0
    overlap = min(a.end, b.end) - max(a.start, b.start)
    if overlap <= 0:
        return 0.0
    return overlap / (max(a.end, b.end) - min(a.start, b.start))
