"""Is a text the model wrote whole, in the right language and script, and its own?

Pure functions over strings, used by the grounding checks on every reply (and, for language, by
the eval metrics):

* :func:`cut_off` - a text that stops without ending: no text may fill its length limit or
  stop on a hyphen, comma, opening quote or function word ("der", "and", "a"); a sentence field
  (summary, key point, event description) of more than one sentence must end with ``.``,
  ``!``, ``?`` or ``…`` (a closing quote mark or bracket may follow), while one sentence
  without the mark is a bullet-style point, not cut text (models behind a server write key
  points so); :func:`truncated_copy` - a copied article sentence that stops inside a word with
  a sentence mark added.
* :func:`text_language` - German or English (py3langid restricted to the two), with its
  probability; :func:`wrong_language` - a field of at least :data:`LANGUAGE_MIN_WORDS` words
  that is confidently in the other language.
* :func:`foreign_script` - letters of another script (Chinese, Cyrillic, ...) that the article
  does not contain either.
* :func:`leaked_prompt` - a sentence of a prompt template, or a run of
  :data:`LEAK_RUN_WORDS` consecutive template words, repeated in the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache

from summarizer.datamodel.types import LANGUAGES, Language
from summarizer.text.lexicon import WORD

_SENTENCE_END = re.compile(r"[.!?…][\"'“”»«’)\]]*\s*$")
LANGUAGE_MIN_WORDS = 4
LANGUAGE_MIN_PROBABILITY = 0.9
LEAK_RUN_WORDS = 8
#: A headline that ends on one of these stopped mid-phrase (German verb particles such as "zu",
#: "an", "ein" end whole headlines: "Kim sichert Russland Unterstützung zu").
_HEADLINE_CUT_WORDS_TEXT = """
    der die das den dem des eine einen einem einer eines und oder aber sowie in im für von vom
    bei beim zum zur the a an and or but of to for with from by
"""
HEADLINE_CUT_WORDS = frozenset(_HEADLINE_CUT_WORDS_TEXT.split())


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.strip()))


def cut_off(text: str, *, sentence: bool, max_length: int | None = None) -> bool:
    """True when ``text`` stops without ending (see the module docstring)."""
    stripped = text.strip()
    if not stripped:
        return False
    if max_length is not None and len(text) >= max_length:
        return True
    words = WORD.findall(stripped)
    last = words[-1].casefold() if words else ""
    stops_mid_phrase = stripped[-1] in "-‐,;:(„" or last in HEADLINE_CUT_WORDS  # „ opens
    if sentence and not ends_sentence(stripped):
        from summarizer.text.segmentation import sentences

        return stops_mid_phrase or len(sentences(stripped)) > 1
    return not sentence and stops_mid_phrase


#: A copy shorter than this many words may stop inside an article word by coincidence.
COPY_MIN_WORDS = 5


def truncated_copy(text: str, article: str) -> bool:
    """True when a sentence of ``text`` copies the article and stops inside one of its words
    with a sentence mark added ("... berichtete die staatliche nö."): what a length limit makes
    of a copied sentence. Case and whitespace are ignored."""
    from summarizer.text.segmentation import sentences

    flat_article = " ".join(article.casefold().split())
    for sentence in sentences(text):
        body = " ".join(sentence.casefold().split()).rstrip(".!?… ")
        if len(body.split()) < COPY_MIN_WORDS:
            continue
        position = flat_article.find(body)
        while position >= 0:
            after = flat_article[position + len(body) : position + len(body) + 1]
            if after.isalnum():
                return True
            position = flat_article.find(body, position + 1)
    return False


def complete_part(text: str) -> str:
    """``text`` up to the end of its last complete sentence ("" when none ends)."""
    from summarizer.text.segmentation import sentences

    kept = [s for s in sentences(text) if ends_sentence(s)]
    return " ".join(kept)


@cache
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


@lru_cache(maxsize=4096)
def text_language(text: str) -> tuple[Language, float]:
    """The text's language among German and English, and the model's probability for it."""
    code, probability = _identifier().classify(text)
    return code, float(probability)


def wrong_language(text: str, expected: Language) -> Language | None:
    """The other language, when ``text`` (long enough to tell) is confidently written in it."""
    if len(WORD.findall(text)) < LANGUAGE_MIN_WORDS:
        return None
    language, probability = text_language(text)
    if language != expected and probability >= LANGUAGE_MIN_PROBABILITY:
        return language
    return None


def _script(character: str) -> str:
    name = unicodedata.name(character, "")
    return name.split(" ")[0] if name else ""


def foreign_script(text: str, article: str) -> str:
    """The letters of ``text`` in scripts other than Latin that ``article`` does not contain
    (empty when there are none)."""
    foreign = {c for c in text if c.isalpha() and _script(c) != "LATIN" and c not in article}
    return "".join(sorted(foreign))


def _folded(text: str) -> str:
    return " ".join(w.casefold() for w in WORD.findall(text))


@lru_cache(maxsize=8)
def _template_index(template_sentences: tuple[str, ...]) -> tuple[tuple[str, ...], frozenset[str]]:
    sentences = tuple(_folded(s) for s in template_sentences)
    runs = set()
    for sentence in sentences:
        words = sentence.split()
        runs |= {
            " ".join(words[i : i + LEAK_RUN_WORDS]) for i in range(len(words) - LEAK_RUN_WORDS + 1)
        }
    return sentences, frozenset(runs)


def leaked_prompt(text: str, template_sentences: Sequence[str]) -> str | None:
    """The template passage ``text`` repeats, if it repeats one."""
    sentences, runs = _template_index(tuple(template_sentences))
    folded = _folded(text)
    for sentence in sentences:
        if sentence and sentence in folded:
            return sentence
    words = folded.split()
    for i in range(len(words) - LEAK_RUN_WORDS + 1):
        run = " ".join(words[i : i + LEAK_RUN_WORDS])
        if run in runs:
            return run
    return None


#: A time stamp that opens or closes a live-blog entry: "(11.39 Uhr)", "11:39 Uhr", "10:32 a.m.".
_ENTRY_TIME = re.compile(
    r"\(?\b\d{1,2}[.:]\d{2}\s?(?:Uhr|a\.m\.|p\.m\.|AM|PM|ET|EST|EDT|CET|MEZ)\b\.?\)?"
)
_LIVE_TITLE = re.compile(r"ticker|live-?blog|\blive\b(?:-| updates?|:)", re.IGNORECASE)
#: Time-stamped paragraphs that make a page a live blog (fewer with "Ticker"/"Live" in the title).
LIVE_ENTRIES = 5
LIVE_ENTRIES_TITLED = 2


def live_entries(text: str) -> int:
    """How many paragraphs of ``text`` open or close with a time of day (live-blog entries)."""
    return sum(
        1
        for paragraph in text.split("\n\n")
        if _ENTRY_TIME.search(paragraph.strip()[:30]) or _ENTRY_TIME.search(paragraph.strip()[-20:])
    )


def live_blog(text: str, title: str | None = None) -> int | None:
    """The number of time-stamped entries when ``text`` (with its ``title``) reads as a live
    blog or news ticker, else None."""
    entries = live_entries(text)
    titled = bool(title and _LIVE_TITLE.search(title))
    if entries >= LIVE_ENTRIES or (titled and entries >= LIVE_ENTRIES_TITLED):
        return entries
    return None
