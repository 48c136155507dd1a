"""Length and extractiveness of a summary (Grusky, Naaman and Artzi, "Newsroom", NAACL 2018).

Extractive fragments are the shared word sequences found greedily from the start of the
summary, each the longest run of summary words that also occurs in the article. Over the
summary's words ``S`` and fragments ``F``:

* coverage = sum(|f|) / |S| - the share of summary words inside some fragment (0 to 1);
* density = sum(|f|^2) / |S| - the average length of the fragment each word sits in (a copied
  sentence of 25 words adds 25 per word; abstractive text stays near 1-2);
* compression = article words / summary words.

Words are compared case-folded.
"""

from __future__ import annotations

import re

_WORDS = re.compile(r"[^\W_]+")


def _tokens(text: str) -> list[str]:
    return [w.casefold() for w in _WORDS.findall(text)]


def fragments(article: str, summary: str) -> list[list[str]]:
    """The extractive fragments of ``summary`` in ``article`` (Grusky et al.'s greedy
    algorithm)."""
    a, s = _tokens(article), _tokens(summary)
    positions: dict[str, list[int]] = {}
    for index, token in enumerate(a):
        positions.setdefault(token, []).append(index)
    found: list[list[str]] = []
    i = 0
    while i < len(s):
        best = 0
        for j in positions.get(s[i], ()):
            length = 0
            while i + length < len(s) and j + length < len(a) and s[i + length] == a[j + length]:
                length += 1
            best = max(best, length)
        if best:
            found.append(s[i : i + best])
        i += max(best, 1)
    return found


def extractiveness(article: str, summary: str) -> dict[str, float | None]:
    """``summary_words``, ``compression``, ``extractive_coverage``, ``extractive_density``."""
    summary_words = len(_tokens(summary))
    if not summary_words:
        return {
            "summary_words": 0.0,
            "compression": None,
            "extractive_coverage": None,
            "extractive_density": None,
        }
    found = fragments(article, summary)
    return {
        "summary_words": float(summary_words),
        "compression": round(len(_tokens(article)) / summary_words, 4),
        "extractive_coverage": round(sum(len(f) for f in found) / summary_words, 4),
        "extractive_density": round(sum(len(f) ** 2 for f in found) / summary_words, 4),
    }
