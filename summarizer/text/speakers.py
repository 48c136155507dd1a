"""Speakers: who the article says spoke a quote, and whether a passage in quotation marks is
a quote at all - the rules of the guided pipeline's quotes and of the quote checks.

Pure functions over the article. A speaker is the name next to a speech verb ("sagte Kreml-
Sprecher Dmitri Peskow" -> "Dmitri Peskow", "Peskow sagte", "the army said"), else the
subject of a sentence that reports speech ("Kim Jong Un hat ... „bedingungslose Unterstützung“
zugesichert"), else - the verb names nobody ("sagte sie", "sagte ein Bahnsprecher") - whom the
previous sentence of the paragraph names. Role words are not names ("Sekretär").
"""

from __future__ import annotations

import re
from functools import lru_cache

from summarizer.datamodel.types import Language
from summarizer.text.attribution import POINTERS, SUBJECT_WORDS, word_window
from summarizer.text.lexicon import FUNCTION_WORDS, WORD, fold_token, same_name_token
from summarizer.text.segmentation import article_sentence_spans, paragraph_spans, quoted_spans

#: Words that name a role, not a person: stripped from the front of a speaker's or source's
#: name ("Kreml-Sprecher Dmitri Peskow" -> "Dmitri Peskow"); a role word alone names nobody.
ROLE = re.compile(
    r"(?:sprecher|sprecherin|präsident|präsidentin|machthaber|minister|ministerin|kanzler|"
    r"kanzlerin|sekretär|sekretärin|chef|chefin|leiter|leiterin|bürgermeister|gouverneur|"
    r"spokesman|spokeswoman|spokesperson|president|minister|secretary|governor|mayor|chief|"
    r"leader|director|commander|general|premier|king|queen|richter|richterin|trainer|"
    r"trainerin|coach|senator|senatorin|professor|professorin|dr\.|abgeordnete|abgeordneter|"
    r"mayor|geschäftsführer|geschäftsführerin|vorstand|vorsitzende|vorsitzender|executive|"
    r"ceo|councillor|councilor|chairman|chairwoman|nachrichtenagentur)$",
    re.IGNORECASE,
)
_SPEECH_VERBS = {
    "de": r"sagte|sagt|sagten|erklärte|erklärt|betonte|betont|warnte|warnt|versicherte|"
    r"kritisierte|forderte|fordert|meinte|schrieb|schreibt|ergänzte|fügte|sprach|äußerte|"
    r"geäußert|zugesichert|sicherte|versprach|bekräftigte|nannte|bezeichnete|warf|vorwarf|"
    r"behauptete|versicherte|so",
    "en": r"said|says|told|tells|added|adds|stated|states|warned|wrote|writes|argued|"
    r"insisted|explained|noted|urged|called|described|pledged|promised",
}
_REPORT_WORDS = {
    "de": r"laut|zufolge|berichtete|berichtet|meldete|meldet|mitteilte|teilte|hieß|angaben",
    "en": r"according|reported|reports|announced|posted",
}
_RUN_WORDS = re.compile(r"[A-ZÄÖÜ][\w'’.-]*(?:(?:[ -]| & )[A-ZÄÖÜ][\w'’.-]*)*")


def person_name(run: str) -> str | None:
    """The name in a capitalized run, without role words before it ("Kreml-Sprecher Dmitri
    Peskow" -> "Dmitri Peskow"); None when the run is a role or function words only."""
    words = [w for w in re.split(r"[ ]", run) if w and w.casefold() not in FUNCTION_WORDS]
    kept: list[str] = []
    for word in words:
        if ROLE.search(word.split("-")[-1]):
            kept = []  # what follows a role word is the name
            continue
        kept.append(word)
    return " ".join(kept) or None


@lru_cache(maxsize=32)
def role_names(article: str) -> frozenset[str]:
    """Folded words the article uses as a name after a role word ("Machthaber Kim Jong Un":
    kim, jong, un): German names the lexicon knows as common words."""
    found: set[str] = set()
    for _start, _end, run in name_runs(article):
        words = run.split(" ")
        if len(words) > 1 and any(ROLE.search(w.split("-")[-1]) for w in words[:-1]):
            named = person_name(run)
            found.update(fold_token(w) for w in (named or "").split(" ") if w)
    return frozenset(found)


def is_quoted_name(text: str) -> bool:
    """A short passage of capitalized words only ("Black Lantern"): a name in quotation marks."""
    words = WORD.findall(text)
    return 0 < len(words) <= 3 and all(w[0].isupper() for w in words)


def name_runs(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _RUN_WORDS.finditer(text)]


def _cue_positions(sentence: str, pattern: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(rf"\b(?:{pattern})\b", sentence, re.IGNORECASE)]


def _named_after(sentence: str, position: int, names: frozenset[str]) -> str | None:
    """The first name in the few words after ``position`` (articles and adjectives skipped:
    "sagte Kreml-Sprecher Dmitri Peskow", "berichtete die staatliche Nachrichtenagentur
    KCNA")."""
    window = word_window(sentence[position:], 0, 5)
    for _start, _end, run in name_runs(window):
        found = person_name(run)
        if found and is_name(found, names):
            return found
    return None


def is_name(text: str, names: frozenset[str]) -> bool:
    """A name: a known name word, an all-capital abbreviation, or two capitalized words or more
    (a person's first and last name, "Deutsche Bahn")."""
    words = WORD.findall(text)
    if not words:
        return False
    if any(same_name_token(fold_token(w), n) for w in words for n in names):
        return True
    return any(w.isupper() and len(w) >= 2 for w in words) or len(words) >= 2


def quote_speaker(
    article: str, start: int, language: Language, names: frozenset[str]
) -> str | None:
    """Who the article says spoke the quote starting at ``start``: the name next to a speech
    verb of its sentence ("sagte Peskow", "so Peskow", "Peskow sagte", "the army said"), else
    the sentence's subject when a speech verb or report cue is in it ("Kim Jong Un hat ...
    „bedingungslose Unterstützung“ zugesichert"); when the verb names nobody ("sagte sie",
    "sagte ein Bahnsprecher"), the previous sentence of the paragraph names the speaker. None
    when nobody is named."""
    spans = article_sentence_spans(article)
    index = next((i for i, (s, e) in enumerate(spans) if s <= start < e), None)
    if index is None:
        return None
    names = names | role_names(article)
    s, e = spans[index]
    found, pointed = sentence_speaker(article[s:e], language, names)
    if found is not None or not pointed or index == 0:
        return found
    paragraph = next(((ps, pe) for ps, pe in paragraph_spans(article) if ps <= start < pe), None)
    ps, pe = spans[index - 1]
    if paragraph is None or ps < paragraph[0]:
        return None
    previous = article[ps:pe]
    found, _ = sentence_speaker(previous, language, names)
    if found is not None:
        return found
    for _s, _e, run in name_runs(previous):  # "wies die Deutsche Bahn zurück"
        name = person_name(run)
        if name and is_name(name, names):
            return name
    return None


_INSTITUTIONS = re.compile(
    r"\b(?:the )?(army|police|military|government|ministry|company|authorities|hospital|"
    r"militär|polizei|regierung|armee|behörde|unternehmen)\s*,?\s*$",
    re.IGNORECASE,
)
_OF = re.compile(r"\b(?:of|von|from|der|des)\s*$", re.IGNORECASE)


def _named_before_verb(sentence: str, position: int, names: frozenset[str]) -> str | None:
    """The name just before a speech verb ("Peskow sagte", "Professor Henrik Lund of Aarhus
    University said" -> the person, "the army said" -> "army")."""
    before = sentence[:position].rstrip(" ,")
    runs = name_runs(before)
    if runs and runs[-1][1] >= len(before) - 1:
        last = runs[-1]
        if len(runs) > 1 and _OF.search(before[: last[0]]):
            previous = runs[-2]
            if _OF.search(before[previous[1] : last[0]]) and last[0] - previous[1] <= 5:
                last = previous
        found = person_name(last[2])
        if found and is_name(found, names):
            return found
    institution = _INSTITUTIONS.search(before)
    return institution.group(1) if institution else None


def _next_word(text: str) -> str:
    match = WORD.search(text)
    return match.group().casefold() if match else ""


#: A dateline before the lead ("Pjöngjang/Moskau – ", "KHARTOUM, May 14 (Wire) - ").
DATELINE = re.compile(r"^[A-ZÄÖÜ][\w/ .,()-]{1,60}?\s[–—-]\s")


def sentence_speaker(
    sentence: str, language: Language, names: frozenset[str], *, subject: bool = True
) -> tuple[str | None, bool]:
    """The speaker ``sentence`` names, and whether a speech verb in it points to one named
    before ("sagte sie", "sagte ein Bahnsprecher")."""
    sentence = DATELINE.sub("", sentence)
    verbs = _cue_positions(sentence, _SPEECH_VERBS[language])
    pointed = False
    for cue_start, cue_end in verbs:
        before = WORD.findall(sentence[:cue_start])[-2:]
        pointer_before = bool(before) and (
            before[-1].casefold() in POINTERS
            or (len(before) == 2 and before[0].casefold() in POINTERS and ROLE.search(before[1]))
        )
        if pointer_before or _next_word(sentence[cue_end:]) in POINTERS | {"ein", "eine", "a"}:
            pointed = True  # "sagte sie", "she told", "Dessen Sprecherin erklärte"
            continue
        after = _named_after(sentence, cue_end, names)
        before = _named_before_verb(sentence, cue_start, names)
        found = (after or before) if language == "de" else (before or after)
        if found:
            return found, False
    reports = _cue_positions(sentence, _REPORT_WORDS[language])
    if subject and (verbs or reports):
        subject = word_window(sentence, 0, SUBJECT_WORDS - 1)
        for _s, _e, run in name_runs(subject):
            found = person_name(run)
            if found and is_name(found, names):
                return found, False
    return None, pointed or not verbs


def attributed_quote(article: str, start: int, end: int, language: Language) -> bool:
    """True when the passage ``article[start:end]`` in quotation marks is reported speech: its
    sentence (or, for a quote that continues, the previous one of its paragraph) has a speech
    verb or a report cue, or introduces it with a colon. A term in quotation marks that nobody
    is said to say (a treaty's name, a scare quote, a headline's) is not a quote."""
    spans = article_sentence_spans(article)
    index = next((i for i, (s, e) in enumerate(spans) if s <= start < e), None)
    if index is None or is_quoted_name(article[start:end]):
        return False
    cues = f"{_SPEECH_VERBS[language]}|{_REPORT_WORDS[language]}"
    s, e = spans[index]
    sentence = article[s:e]
    if _cue_positions(sentence, cues) or article[max(s, start - 3) : start].strip().endswith(":"):
        return True
    paragraph = next(((ps, pe) for ps, pe in paragraph_spans(article) if ps <= start < pe), None)
    whole = (end - start) >= 0.6 * (e - s)  # the sentence is the quote: a speaker goes on
    if whole and index > 0 and paragraph is not None and spans[index - 1][0] >= paragraph[0]:
        previous = article[spans[index - 1][0] : spans[index - 1][1]]
        return bool(_cue_positions(previous, cues)) and bool(quoted_spans(previous))
    return False
