"""Attribution: who said a quote, who reports an event, and the figures stated next to
"killed" and "injured".

Pure functions over strings, used by the support checks (:mod:`summarizer.grounding.summary_checks`,
:mod:`summarizer.grounding.event_checks`) and by the per-article schemas of small models
(:mod:`summarizer.constrained.models`), which offer the model only these choices:

* a **quote's speaker** must be the attributed speaker: named in the quote's sentence next to a
  speech cue ("sagte X", "so X", "X erklärte", "laut X", "X zufolge", "according to X", "X
  said") or as the sentence's subject; when the sentence's cue names nobody ("sagte sie"), the
  previous sentence's attribution or subject counts (a quote that continues);
* an **event's source** is someone its paragraph reports through ("laut Tass", "nach
  Behördenangaben", "police said") or a news agency it names;
* a **casualty figure** is the number next to a word for killed or injured, not across a comma,
  an "and" or another such word.
"""

from __future__ import annotations

import re

from summarizer.datamodel.types import Language
from summarizer.text.lexicon import FUNCTION_WORDS, WORD, fold_token, name_tokens, same_name_token
from summarizer.text.numbers import claimed_values
from summarizer.text.segmentation import article_sentence_spans, paragraph_spans

_SPEECH_CUES = {
    "de": r"sagte|sagt|sagten|erklärte|erklärt|betonte|betont|warnte|warnt|versicherte|"
    r"kritisierte|forderte|fordert|meinte|schrieb|schreibt|ergänzte|fügte|sprach|so|laut|"
    r"zufolge|äußerte|teilte",
    "en": r"said|says|told|tells|added|adds|stated|states|warned|wrote|writes|argued|insisted|"
    r"according|explained|noted|urged",
}
#: Words that point back to a speaker named earlier ("sagte sie", "Dessen Sprecherin").
_GERMAN_POINTERS = ("er", "sie", "es", "dessen", "deren", "sein", "seine", "ihr", "ihre")
_ENGLISH_POINTERS = ("he", "she", "they", "it", "his", "her", "its", "their")
POINTERS = frozenset((*_GERMAN_POINTERS, *_ENGLISH_POINTERS))
SUBJECT_WORDS = 8
CUE_WINDOW_AFTER = 6
CUE_WINDOW_BEFORE = 4


_WORD_SPAN = re.compile(r"[^\W\d_]+")


def word_window(sentence: str, first: int, last: int) -> str:
    """The text of words ``first`` to ``last`` (inclusive) of ``sentence``."""
    spans = [m.span() for m in _WORD_SPAN.finditer(sentence)]
    if not spans:
        return ""
    first, last = max(first, 0), min(last, len(spans) - 1)
    if first > last:
        return ""
    return sentence[spans[first][0] : spans[last][1]]


def _zones(sentence: str, language: Language, names: frozenset[str]) -> tuple[list[str], bool]:
    """The passages of ``sentence`` that can name its speaker (its subject - its first words -
    and the words around each speech cue), and whether a cue in it names someone (a cue next to
    "sie", "she" or "Dessen Sprecherin" names nobody: the speaker is in an earlier sentence)."""
    words = WORD.findall(sentence)
    cue = re.compile(rf"^(?:{_SPEECH_CUES[language]})$", re.IGNORECASE)
    zones = [word_window(sentence, 0, SUBJECT_WORDS - 1)]
    named = False
    for index, word in enumerate(words):
        if cue.match(word):
            near = word_window(sentence, index - CUE_WINDOW_BEFORE, index + CUE_WINDOW_AFTER)
            zones.append(near)
            neighbours = {w.casefold() for w in words[max(0, index - 2) : index + 2]}
            pointed = bool(neighbours & POINTERS)
            named = named or (bool(name_tokens(near, names)) and not pointed)
    return zones, named


def speaker_candidates(
    article: str, start: int, language: Language, names: frozenset[str]
) -> list[str]:
    """Passages of the article that may name the speaker of the quote starting at ``start``:
    its sentence's attribution and subject, and - when its attribution names nobody - the
    previous sentence's of the same paragraph (a quote that continues)."""
    spans = article_sentence_spans(article)
    index = next((i for i, (s, e) in enumerate(spans) if s <= start < e), None)
    if index is None:
        return []
    zones, named = _zones(article[spans[index][0] : spans[index][1]], language, names)
    if not named:
        paragraph = next(((s, e) for s, e in paragraph_spans(article) if s <= start < e), None)
        if index > 0 and paragraph is not None and spans[index - 1][0] >= paragraph[0]:
            previous = article[spans[index - 1][0] : spans[index - 1][1]]
            zones += _zones(previous, language, names)[0]
    return zones


def _word_in(word: str, folded: list[str]) -> bool:
    """``word`` among the folded words, up to inflection or as part of a compound ("Bahn" in
    "Bahnsprecher")."""
    target = fold_token(word)
    return any(
        same_name_token(target, other) or (len(target) >= 4 and target in other) for other in folded
    )


def speaker_attributed(speaker: str, candidates: list[str]) -> bool:
    """True when most name words of ``speaker`` are in the ``candidates`` passages ("Deutsche
    Bahn" for "ein Bahnsprecher", "Mercy Valley Health" for "Mercy Valley said"); a speaker
    named by common words only needs one of them there."""
    words = [w for w in WORD.findall(speaker) if w.casefold() not in FUNCTION_WORDS]
    if not words:
        return False
    folded = [fold_token(w) for c in candidates for w in WORD.findall(c)]
    named = [w for w in words if w[0].isupper()] or words
    found = sum(_word_in(w, folded) for w in named)
    return found * 2 >= len(named) and found > 0


_AGENCIES = """KCNA Tass dpa AFP Reuters AP Bloomberg Interfax RIA Nowosti Novosti Xinhua
    Yonhap Kyodo ANSA EFE APA KNA epd Ukrinform IRNA Anadolu SDA Keystone-SDA ANP Belga PAP CTK
    MTI Agerpres NTB Ritzau STT BTA Tanjug HINA Sputnik UNIAN"""
#: News agencies by the names articles use for them (folded), by their long names, and the
#: word itself ("die staatliche Nachrichtenagentur").
NEWS_AGENCIES = frozenset(fold_token(name) for name in _AGENCIES.split())
NEWS_AGENCY_NAMES = ("associated press", "agence france-presse", "deutsche presse-agentur")
NEWS_AGENCY_WORDS = ("nachrichtenagentur", "news agency")


def is_agency_name(word: str) -> bool:
    """True when ``word`` is a known news agency's short name ("KCNA", "dpa")."""
    return fold_token(word) in NEWS_AGENCIES


def is_news_agency(name: str) -> bool:
    """True when ``name`` is (or contains) a known news agency's name, or calls itself one."""
    folded = name.casefold()
    if any(long_name in folded for long_name in (*NEWS_AGENCY_NAMES, *NEWS_AGENCY_WORDS)):
        return True
    return any(is_agency_name(w) for w in re.findall(r"[\w-]+", name))


_REPORT_CUES = {
    "de": r"berichtete|berichtet|meldete|meldet|Angaben|zufolge|laut|mitteilte|teilte",
    "en": r"reported|reports|according|announced|confirmed|said|says|told",
}
_ANGABEN = re.compile(r"^(\w{4,}?)s?angaben$", re.IGNORECASE)


_RUN = re.compile(r"[A-ZÄÖÜ][\w-]+(?:[ -][A-ZÄÖÜ][\w-]+)*")


def name_phrases(passages: list[str], names: frozenset[str], *, common: bool = False) -> list[str]:
    """The names in ``passages``: runs of capitalized words, reduced to their name words
    ("Kreml-Sprecher Dmitri Peskow" -> "Dmitri Peskow"); with ``common``, runs without a name
    word too ("Polizei", "Bahnsprecher")."""
    found = []
    for passage in passages:
        for match in _RUN.finditer(passage):
            words = [
                w for w in re.split(r"[ -]", match.group()) if w.casefold() not in FUNCTION_WORDS
            ]
            named = [w for w in words if any(same_name_token(fold_token(w), n) for n in names)]
            if named:
                found.append(" ".join(named))
            elif common and words:
                found.append(" ".join(words))
    return list(dict.fromkeys(found))


def speaker_choices(
    article: str, start: int, language: Language, names: frozenset[str], limit: int = 8
) -> list[str]:
    """Who may be named as the speaker of the quote starting at ``start``: the names in the
    passages :func:`speaker_candidates` allows, or (none there) who they name otherwise."""
    passages = speaker_candidates(article, start, language, names)
    choices = name_phrases(passages, names) or name_phrases(passages, names, common=True)
    return choices[:limit]


def reported_by(
    paragraph: str, language: Language, names: frozenset[str], limit: int = 8
) -> list[str]:
    """Who ``paragraph`` says reports what it tells: the names next to reporting and speech
    cues ("laut Tass", "nach Behördenangaben" -> "Behörden", "police said"), and news
    agencies it names."""
    words = WORD.findall(paragraph)
    cue = re.compile(rf"^(?:{_REPORT_CUES[language]}|{_SPEECH_CUES[language]})$", re.IGNORECASE)
    found: list[str] = []
    for index, word in enumerate(words):
        stem = _ANGABEN.match(word)
        if stem and language == "de":
            found.append(stem.group(1))
        if cue.match(word):
            after = word_window(paragraph, index + 1, index + 3)
            around = word_window(paragraph, index - CUE_WINDOW_BEFORE, index + CUE_WINDOW_AFTER)
            found += name_phrases([after], names, common=True) + name_phrases([around], names)
    found += [w for w in words if is_agency_name(w)]
    return list(dict.fromkeys(found))[:limit]


_CASUALTY_CUES = {
    "fatalities": r"getötet|tötete|töteten|tot|tote|toten|todesopfer|starb|starben|leben|"
    r"killed|kill|kills|killing|dead|died|deaths|death|fatalities",
    "injured": r"verletzt|verletzte|verletzten|verwundet|verwundete|injured|injuring|injuries|"
    r"wounded|wounding|hurt",
}
_ALL_CUES = re.compile(
    rf"^(?:{_CASUALTY_CUES['fatalities']}|{_CASUALTY_CUES['injured']})$", re.IGNORECASE
)
_CLAUSE_STOPS = frozenset({",", ";", ":", "(", ")", "und", "and", "sowie", "while", "während"})
CASUALTY_WINDOW = 4


def stated_figures(sentence: str, kind: str, language: Language) -> set[int]:
    """The number ``sentence`` states next to each word for ``kind`` (``fatalities``: killed,
    dead; ``injured``: injured, wounded): the nearest within :data:`CASUALTY_WINDOW` tokens,
    not across a comma, an "and" or another casualty word ("killing twelve people and injuring
    more than 200" gives 12 killed and 200 injured)."""
    tokens = re.findall(r"[\w.,]*\d[\w.,]*|\w+|[^\w\s]", sentence)
    cue = re.compile(rf"^(?:{_CASUALTY_CUES[kind]})$", re.IGNORECASE)
    found: set[int] = set()
    for index, token in enumerate(tokens):
        if not cue.match(token):
            continue
        for step in (-1, 1):
            position = index + step
            while 0 <= position < len(tokens) and abs(position - index) <= CASUALTY_WINDOW:
                word = tokens[position]
                if word.casefold() in _CLAUSE_STOPS or _ALL_CUES.match(word):
                    break
                values = claimed_values(word, language)
                whole = [int(v) for v in values if v == int(v) and v > 0]
                if whole:
                    found.add(whole[0])
                    break
                position += step
    return found
