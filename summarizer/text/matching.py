"""Text matching: pure functions that find model output in the article text.

* :func:`locate` finds a passage in the article, tolerant to case, whitespace, quote-mark and
  dash variants, soft hyphens and words hyphenated across a line break, and returns character
  offsets into the *original* article, so ``article[span.start:span.end] == span.text``.
* :func:`mentions` tells whether a name occurs in the article, tolerant to inflection
  ("Schoigus" for "Schoigu") and transliteration ("Shoigu").

Nothing here knows about Pydantic or LLMs; the grounding checks
(:mod:`summarizer.grounding.context`) and the eval metrics are built on these functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_QUOTES = frozenset("\"'`´„“”‟«»‹›‚‘’‛")
_DASHES = frozenset("-‐‑‒–—―−")
_SOFT_HYPHEN = "\u00ad"
_EDGE_TRIM = frozenset(" .,;:!?") | {'"'}
#: What :func:`locate` leaves out at a needle's ends, before folding.
_EDGE_CHARACTERS = "".join(_EDGE_TRIM | _QUOTES)


@dataclass(frozen=True, slots=True)
class Span:
    """A located passage: ``text`` equals ``article[start:end]``; ``exact`` when the needle was
    that text character for character, apart from what :func:`locate` leaves out at its ends
    (spaces, quote marks, sentence punctuation); else it matched only after folding."""

    start: int
    end: int
    text: str
    exact: bool = False


#: Characters that need more than lower-casing; everything between them is folded in bulk.
#: A lone space between words is plain: it folds to itself.
_SPECIAL = re.compile(
    "[" + re.escape(_SOFT_HYPHEN + "".join(_DASHES | _QUOTES)) + "]|[^\\S ]| (?=\\s)"
)


def _normalize(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` for matching and map every folded character back to its source index.

    Folding: lower case; runs of whitespace become one space (none at the start); quote marks
    become ``"``, dashes ``-``; soft hyphens go, and so does a hyphen that breaks a lower-case
    word across a line ("Verteidigungs-\\nminister" -> "verteidigungsminister").
    """
    out: list[str] = []
    index: list[int] = []
    i, n = 0, len(text)
    while i < n:
        special = _SPECIAL.search(text, i)
        stop = special.start() if special else n
        if stop > i:
            _fold_plain(text, i, stop, out, index)
            i = stop
            if i == n:
                break
        ch = text[i]
        if ch == _SOFT_HYPHEN:
            i += 1
        elif ch in _DASHES:
            j = i + 1
            while j < n and text[j].isspace():
                j += 1
            broke_line = "\n" in text[i + 1 : j]
            if broke_line and i > 0 and text[i - 1].isalpha() and j < n and text[j].islower():
                i = j
                continue
            out.append("-")
            index.append(i)
            i += 1
        elif ch in _QUOTES:
            out.append('"')
            index.append(i)
            i += 1
        else:  # whitespace
            j = i + 1
            while j < n and text[j].isspace():
                j += 1
            if out and out[-1] != " ":
                out.append(" ")
                index.append(i)
            i = j
    return "".join(out), index


def _fold_plain(text: str, start: int, stop: int, out: list[str], index: list[int]) -> None:
    """Lower-case ``text[start:stop]`` (no special characters in it) onto ``out``/``index``."""
    if text[start] == " " and (not out or out[-1] == " "):
        start += 1  # no leading space, and none after one already written
        if start == stop:
            return
    run = text[start:stop]
    folded = run.lower()
    if len(folded) == len(run) and "Σ" not in run:  # a word-final capital sigma folds to "ς"
        out.extend(folded)
        index.extend(range(start, stop))
        return
    for offset, ch in enumerate(run):  # one character at a time, as a needle is folded
        for part in ch.lower():
            out.append(part)
            index.append(start + offset)


@lru_cache(maxsize=256)
def _normalized_article(article: str) -> tuple[str, list[int]]:
    return _normalize(article)


def _trim_needle(needle: str) -> str:
    start, end = 0, len(needle)
    while start < end and needle[start] in _EDGE_TRIM:
        start += 1
    while end > start and needle[end - 1] in _EDGE_TRIM:
        end -= 1
    return needle[start:end]


def locate(needle: str, article: str, hint: int | None = None) -> Span | None:
    """Find ``needle`` in ``article``; return the original-text span, or None.

    Leading and trailing spaces, quote marks and sentence punctuation of the needle are ignored.
    Where the passage occurs more than once, the occurrence nearest to ``hint`` (an offset the
    model may have given) wins, else the first.
    """
    folded_needle = _trim_needle(_normalize(needle)[0])
    if len(folded_needle) < 3:
        return None
    folded_article, index = _normalized_article(article)
    positions: list[int] = []
    pos = folded_article.find(folded_needle)
    while pos != -1:
        positions.append(pos)
        pos = folded_article.find(folded_needle, pos + 1)
    if not positions:
        return None
    nearest = (lambda p: abs(index[p] - hint)) if hint is not None else None
    best = min(positions, key=nearest) if nearest else positions[0]
    start = index[best]
    end = index[best + len(folded_needle) - 1] + 1
    text = article[start:end]
    return Span(start=start, end=end, text=text, exact=text == needle.strip(_EDGE_CHARACTERS))


_WORD = re.compile(r"[^\W\d_]+")
_NAME_STOPWORDS = frozenset(
    [
        "der",
        "die",
        "das",
        "des",
        "den",
        "dem",
        "von",
        "vom",
        "und",
        "für",
        "the",
        "of",
        "and",
        "for",
        "de",
        "la",
        "le",
        "al",
        "bin",
    ]
)


@lru_cache(maxsize=64)
def _article_words(article: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(article))


@lru_cache(maxsize=64)
def _casefolded(article: str) -> str:
    return article.casefold()


def word_matches(word: str, candidates: frozenset[str]) -> bool:
    """True when ``word`` (casefolded) matches one of ``candidates`` up to inflection."""
    if word in candidates:
        return True
    from rapidfuzz.distance import Levenshtein

    for cand in candidates:
        shorter = min(len(word), len(cand))
        if shorter >= 4 and (cand.startswith(word) or word.startswith(cand)):
            return True  # inflection: Schoigu / Schoigus, Kreml / Kremls
        if shorter >= 4 and (word in cand or cand in word):
            return True  # compounds: Korea / Nordkorea
        if len(word) >= 6 and cand.startswith(word[:-1]):
            return True  # a name's adjective: Ukraine / ukrainischen
        if shorter >= 5 and Levenshtein.normalized_similarity(word, cand) >= 0.8:
            return True  # transliteration: Shoigu / Schoigu, Sergei / Sergej
    return False


def acronym(name: str) -> str | None:
    """The initials of a name of two or more capitalized words ("Rapid Support Forces" ->
    "rsf"), casefolded; None for other names."""
    initials = [w[0] for w in _WORD.findall(name) if w[0].isupper()]
    return "".join(initials).casefold() if len(initials) >= 2 else None


def mentions(name: str, article: str) -> bool:
    """True when at least one significant word of ``name`` occurs in ``article``, or the
    article writes the name as its initials ("RSF" for "Rapid Support Forces")."""
    words = [w.casefold() for w in _WORD.findall(name)]
    significant = [w for w in words if len(w) >= 2 and w not in _NAME_STOPWORDS]
    if not significant:
        return False
    short = acronym(name)
    if short is not None and short in _article_words(article):
        return True
    # A word of 4+ letters inside the article's text lies inside one of its words, which
    # word_matches accepts (same word, inflection or compound): no need to split the article.
    folded = _casefolded(article)
    if any(len(w) >= 4 and w in folded for w in significant):
        return True
    candidates = _article_words(article)
    return any(word_matches(w, candidates) for w in significant)
