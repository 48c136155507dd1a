"""Words of German and English text: function words, lemmas, content words and names.

* :data:`FUNCTION_WORDS` - articles, prepositions, conjunctions, pronouns and auxiliaries of
  both languages (what a sentence has and a keyword list has not).
* :func:`lemma` - a word's dictionary form (simplemma: "getötet" -> "töten", "Menschen" ->
  "Mensch", "attacks" -> "attack"); :func:`content_lemmas` - the lemmas of a text's content
  words; :func:`lemma_covered` - a lemma found among others, tolerant to compounds
  ("Angriff" in "Drohnenangriff"); :func:`known_word` - whether the lexicon knows a word.
* :func:`fold_token` - a name token in the form in which spelling variants of one name
  coincide (case, diacritics, transliteration: "Schoigu"/"Shoigu", "Peskow"/"Peskov");
  :func:`same_name_token` adds inflection endings ("Putins"/"Putin").
* :func:`name_tokens` - the tokens of a text that are names, by the article's evidence: a word
  the article writes capitalized where a common word would not be (mid-sentence in English;
  unknown to the German lexicon in German) or a name the reply itself lists.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from summarizer.datamodel.types import Language
from summarizer.text.segmentation import sentences
from summarizer.text.transliteration import transliterated

_FUNCTION_WORDS_TEXT = """
    der die das den dem des ein eine einen einem einer eines und oder aber doch denn in im am
    an auf aus bei beim mit nach von vom zu zum zur für über unter um gegen seit bis vor durch
    ohne ist sind war waren wurde wurden worden hat haben hatte hatten wird werden sei seien
    habe hätten soll sollen solle kann können könne nicht kein keine auch sich er sie es wir
    ihr man als dass wie wo was wer sein seine ihre ihren seinen dieser diese dieses the a an
    and or but nor in on at of to for from with by as into about after before over under since
    until during against without is are was were be been being has have had will would shall
    should can could may might must not no also it its he she they we you his her their that
    this these those which who whom whose than then there
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())

WORD = re.compile(r"[^\W\d_]+")
#: Lemmas at least this long may be found inside a longer one (compounds).
COMPOUND_MIN = 5

_INFLECTION = ("ens", "es", "en", "ns", "s", "n")


@lru_cache(maxsize=65536)
def lemma(word: str, language: Language) -> str:
    """The case-folded dictionary form of ``word``."""
    import simplemma

    return str(simplemma.lemmatize(word, lang=language)).casefold()


@lru_cache(maxsize=4096)
def content_lemmas(text: str, language: Language) -> frozenset[str]:
    """Lemmas of the words of ``text`` that carry content (3+ letters, no function words)."""
    return frozenset(
        lemma(w, language)
        for w in WORD.findall(text)
        if len(w) >= 3 and w.casefold() not in FUNCTION_WORDS
    )


def lemma_covered(word: str, pool: Iterable[str]) -> bool:
    """True when ``word`` is in ``pool``, or one contains the other and the shorter has at
    least :data:`COMPOUND_MIN` letters."""
    if word in pool:
        return True
    for other in pool:
        shorter = min(len(word), len(other))
        if shorter >= COMPOUND_MIN and (word in other or other in word):
            return True
    return False


@lru_cache(maxsize=16384)
def fold_token(token: str) -> str:
    """``token`` in the form in which spelling variants of one name coincide."""
    text = token.casefold().replace("ß", "ss")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = transliterated(text)
    return re.sub(r"(?<=[^aeiouy])i$|yi$|ey$|ei$", "y", text)  # Dmitri/Dmitry, Sergei/Sergej


def same_name_token(a: str, b: str) -> bool:
    """True when two folded tokens are one name, up to an inflection ending."""
    if a == b:
        return True
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    rest = longer[len(shorter) :]
    return len(shorter) >= 3 and longer.startswith(shorter) and rest in _INFLECTION


@lru_cache(maxsize=16384)
def known_word(word: str, language: Language) -> bool:
    """True when the lexicon of ``language`` knows ``word`` (as written)."""
    import simplemma

    return bool(simplemma.is_known(word, lang=language))


@lru_cache(maxsize=64)
def article_names(article: str, language: Language) -> frozenset[str]:
    """Folded tokens the article uses as names: capitalized words that are not at a sentence
    start (English), or that the German lexicon does not know (German nouns are capitalized
    too), and all-capital abbreviations."""
    found: set[str] = set()
    for sentence in sentences(article):
        words = WORD.findall(sentence)
        for position, word in enumerate(words):
            if len(word) < 2 or not word[0].isupper() or word.casefold() in FUNCTION_WORDS:
                continue
            if (
                (word.isupper() and len(word) >= 2)
                or (language == "en" and position > 0)
                or (language == "de" and not known_word(word, "de"))
            ):
                found.add(fold_token(word))
    return frozenset(found)


def name_tokens(text: str, known: frozenset[str]) -> list[str]:
    """The capitalized words of ``text`` whose folded form is one of the ``known`` names."""
    return [
        w
        for w in WORD.findall(text)
        if w[0].isupper() and any(same_name_token(fold_token(w), k) for k in known)
    ]


_NAME_GLUE = frozenset(["of", "the", "for", "and", "der", "die", "des", "für", "und", "von"])


@lru_cache(maxsize=256)
def acronyms(text: str) -> frozenset[str]:
    """Initials of the runs of capitalized words in ``text`` and of their parts ("European
    Central Bank" -> "ECB"; "Bank of England" -> "BE" and "BOE")."""
    found: set[str] = set()
    run: list[str] = []
    for word in [*WORD.findall(text), ""]:
        if word and (word[0].isupper() or (run and word.casefold() in _NAME_GLUE)):
            run.append(word)
            continue
        for first in range(len(run)):
            for last in range(first + 2, min(first + 6, len(run)) + 1):
                part = run[first:last]
                if part[0][0].isupper() and part[-1][0].isupper():
                    found.add("".join(w[0] for w in part if w[0].isupper()).casefold())
                    found.add("".join(w[0] for w in part).casefold())
        run = []
    return frozenset(found)


def mentions_token(word: str, text: str) -> bool:
    """True when ``text`` contains ``word`` as a name token (folded, up to inflection), or
    spells out an all-capital abbreviation ("ECB" for "European Central Bank")."""
    folded = fold_token(word)
    if any(same_name_token(folded, fold_token(w)) for w in WORD.findall(text)):
        return True
    return word.isupper() and 2 <= len(word) <= 6 and word.casefold() in acronyms(text)
