"""Text segmentation: paragraphs, sentences and quoted passages, as character spans.

Every span is a ``(start, end)`` pair of offsets into the text it was found in, so callers can
slice the original string (chunking, grounding) or flatten the slice (grammar enums, baselines).

* Paragraphs are separated by a blank line (a line holding only whitespace).
* A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with a closing quote mark right after it),
  then whitespace, when the next sentence starts with a capital letter or a digit (optionally
  after an opening quote mark or parenthesis) - except after an abbreviation ("Dr.", "U.S.",
  "z. B.", "Az.", a single letter), after a German ordinal before a month or a word that takes
  one ("am 13. September", "der 2. Liga", "in der 23. Minute").
* Quoted passages are the words between „…“, “…”, "…", «…» or »…« (at least three characters).
"""

from __future__ import annotations

import re
from functools import lru_cache

Spans = list[tuple[int, int]]

PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
SENTENCE_BREAK = re.compile(r"(?<=[.!?…])([\"'“”»‘’]?)\s+(?=[\"'„“«»‚‘(]?[A-ZÄÖÜ0-9])")
#: Words that end with a period without ending a sentence.
_ABBREVIATIONS_TEXT = """
    Dr Prof Mr Mrs Ms St Sr Jr Nr Nrn Mio Mrd Tsd ca bzw vgl vs Abs Art Bd Hr Fr Str Jan Feb
    Febr Mar Apr Jun Jul Aug Sep Sept Oct Okt Nov Dec Dez Gen Gov Sen Rep Lt Col Capt Sgt Inc
    Corp Ltd Co etc usw evtl ggf inkl zzgl Mt Ave Blvd Dept Univ No Vol Fig Az Abb Anm Aufl
    Hrsg geb gest sog bzgl Jh Ziff Kap Tel Beschl Urt
"""
ABBREVIATIONS = frozenset(_ABBREVIATIONS_TEXT.split())
_ORDINAL_NOUNS = (
    "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|"
    "Liga|Bundesliga|Jahrhundert|Platz|Runde|Mal|Stock|Spieltag|Klasse|Weltkrieg|Minute|"
    "Spielminute|Woche|Kalenderwoche|Tag|Stelle|Etage|Geburtstag|Jahrestag|Sitzung|Lesung|"
    "Quartal|Halbjahr|Halbzeit|Ausgabe|Auflage|Wahlperiode|Legislaturperiode|Amtszeit|Reihe"
)
_ORDINAL = re.compile(r"\d{1,3}$")  # a year ("2023. Tag für Tag") is no ordinal
_ORDINAL_NEXT = re.compile(rf"[\"'„“«»‚‘(]?(?:{_ORDINAL_NOUNS})\b")
_LAST_WORD = re.compile(r"(\w+)\.$")
_QUOTED = re.compile(
    r"„([^“”\"]{3,}?)[“”]|“([^”]{3,}?)”|\"([^\"]{3,}?)\"|«([^»]{3,}?)»|»([^«]{3,}?)«"
)


def flatten(text: str) -> str:
    """``text`` with every run of whitespace (line breaks included) as one space, stripped."""
    return " ".join(text.split())


def pieces(text: str, separator: re.Pattern[str], start: int = 0, end: int | None = None) -> Spans:
    """Non-empty spans of ``text[start:end]`` between the matches of ``separator``."""
    stop = len(text) if end is None else end
    spans, position = [], start
    for match in separator.finditer(text, start, stop):
        if match.start() > position:
            spans.append((position, match.start()))
        position = match.end()
    if position < stop:
        spans.append((position, stop))
    return spans


def paragraph_spans(text: str) -> Spans:
    """The paragraphs of ``text``."""
    return pieces(text, PARAGRAPH_BREAK)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text`` as stripped strings, blank ones left out."""
    return [p for p in (text[s:e].strip() for s, e in paragraph_spans(text)) if p]


def paragraph_around(text: str, start: int, end: int) -> str:
    """The paragraph(s) that contain ``text[start:end]``."""
    spans = paragraph_spans(text)
    first = max((s for s, _ in spans if s <= start), default=0)
    last = min((e for _, e in spans if e >= end), default=len(text))
    return text[first:last]


def _is_break(text: str, match: re.Match[str]) -> bool:
    """False where the period before ``match`` ends an abbreviation or an ordinal."""
    before = text[max(0, match.start() - 12) : match.start()]
    word = _LAST_WORD.search(before)
    if word is None:
        return True
    token = word.group(1)
    if len(token) == 1 or token in ABBREVIATIONS:
        return False
    return not (_ORDINAL.match(token) and _ORDINAL_NEXT.match(text, match.end()))


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> Spans:
    """The sentences of ``text[start:end]`` (one paragraph, or any run of text)."""
    stop = len(text) if end is None else end
    spans, position = [], start
    for match in SENTENCE_BREAK.finditer(text, start, stop):
        if not _is_break(text, match):
            continue
        sentence_end = match.end(1)  # the closing quote mark belongs to the sentence
        if sentence_end > position:
            spans.append((position, sentence_end))
        position = match.end()
    if position < stop:
        spans.append((position, stop))
    return spans


@lru_cache(maxsize=64)
def article_sentence_spans(article: str) -> tuple[tuple[int, int], ...]:
    """Offsets of every sentence of ``article``, paragraph by paragraph (a sentence never runs
    across a paragraph break). The one definition of "the article's sentences": grounding,
    attribution, constrained schemas and the prompt's sentence ids all read these spans."""
    return tuple(
        span
        for p_start, p_end in paragraph_spans(article)
        for span in sentence_spans(article, p_start, p_end)
    )


def sentences(text: str) -> list[str]:
    """Every sentence of ``text`` (:func:`article_sentence_spans`), whitespace-flattened."""
    return [flatten(text[s:e]) for s, e in article_sentence_spans(text)]


def quoted_spans(text: str) -> Spans:
    """The words inside quotation marks, without the marks."""
    return [next(m.span(g) for g in range(1, 6) if m.group(g)) for m in _QUOTED.finditer(text)]
