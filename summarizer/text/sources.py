"""The sources of an article: whom it attributes information to, typed.

Read by rules (pure functions over the article): news agencies it names; the names next to a
report cue ("laut Tass", "Staatsmedien zufolge", "nach Behördenangaben", "teilte die
Bundespolizei mit", "according to X", "X reported"), the institution that decided or estimated
what the article reports ("hat der Bundesgerichtshof entschieden", "the Court of Appeal
quashed", "the Congressional Budget Office put the cost at"), the journal it was published in;
the speakers its speech verbs name (:func:`~summarizer.text.attribution.quote_speaker`'s rules:
"sagte Kreml-Sprecher Dmitri Peskow"). A country ("Nordkorea"), a role word alone ("Sekretär")
or a common noun is not a source (:func:`is_source_name`).
"""

from __future__ import annotations

import re

from summarizer.datamodel.schemas import SourceType
from summarizer.datamodel.types import Language
from summarizer.text.attribution import is_agency_name, is_news_agency
from summarizer.text.lexicon import WORD, fold_token
from summarizer.text.segmentation import flatten, sentences
from summarizer.text.speakers import (
    ROLE,
    is_name,
    name_runs,
    role_names,
    sentence_speaker,
)

MAX_SOURCES = 6

#: Countries as articles name them (German and English): a country is where something
#: happened, not who reports it.
_COUNTRY_NAMES = """Deutschland Germany Österreich Austria Schweiz Switzerland Russland Russia
    Ukraine Nordkorea Südkorea Korea China Japan Iran Irak Iraq Israel Syrien Syria Libanon
    Lebanon Türkei Turkey Frankreich France Italien Italy Spanien Spain Polen Poland USA
    Amerika America Großbritannien Britain England Sudan Peru Ägypten Egypt Indien India
    Pakistan Afghanistan Belarus Georgien Georgia Kanada Canada Mexiko Mexico Brasilien Brazil
    Jemen Yemen Gaza Taiwan"""
_COUNTRIES = frozenset(fold_token(name) for name in _COUNTRY_NAMES.split())
_INSTITUTION = re.compile(
    r"(?:behörde|behörden|polizei|ministerium|regierung|amt|gericht|staatsanwaltschaft|"
    r"gerichtshof|bundeswehr|armee|militär|kreml|rat|kommission|feuerwehr|"
    r"authorities|police|ministry|government|office|court|institute|agency|army|military|"
    r"council|survey|department|commission|kremlin|fire service|coast guard)s?$",
    re.IGNORECASE,
)
_MEDIA = re.compile(
    r"(?:medien|zeitung|sender|rundfunk|fernsehen|magazin|journal|newspaper|broadcaster|"
    r"radio|television|tv|media|magazine)$",
    re.IGNORECASE,
)
_STATE_MEDIA = re.compile(r"(?:staatsmedien|staatliche medien|state media)", re.IGNORECASE)
_MEDIA_BEFORE = re.compile(
    r"(?:journal|zeitung|magazin|sender|radio station|newspaper|broadcaster|magazine)\s+$",
    re.IGNORECASE,
)
_REPORT_PATTERNS = {
    "de": [
        r"\b(?i:laut|nach Angaben (?:der|des|von))\s+(?P<after>[^,.;:]{2,60})",
        r"(?P<before>(?:[A-ZÄÖÜ][\wäöüß-]+ ){0,3}[A-ZÄÖÜ][\wäöüß-]+)\s+(?:meldete|berichtete|"
        r"bestätigte|teilte)\b",
        r"(?P<before>[\wÄÖÜäöüß-]+(?: [\wÄÖÜäöüß-]+){0,3})\s+zufolge\b",
        r"\bnach (?P<angaben>[A-ZÄÖÜ]\w+?)s?angaben\b",
        r"\b(?:teilte|teilten|berichtete|berichteten|meldete|meldeten|bestätigte|wies)\s+"
        r"(?P<after2>[^,.;:]{2,60})",
        # "Das hat der Bundesgerichtshof (BGH) am Mittwoch entschieden": who decided it
        r"\b(?:hat|haben)\s+(?P<after3>(?:der|die|das)\s+[A-ZÄÖÜ][^,.;:()]{2,50}?)\s+"
        r"(?:\([A-ZÄÖÜ]+\)\s+)?(?:am\s+\w+\s+)?(?:entschieden|geurteilt|festgestellt)\b",
    ],
    "en": [
        r"\baccording to\s+(?P<after>(?:[A-Z]\.|[^,.;:]){2,60})",  # "the U.S. Geological Survey"
        r"\bin the (?:journal|magazine|newspaper)\s+(?P<after3>[A-Z][^,.;:]{1,60})",
        r"(?P<before>(?:[A-Z][\w.'-]*|the|local|national|civil|defence|medics|group|army|"
        r"police|institute|of)(?: (?:[A-Z][\w.'-]*|of|the|local|national|civil|defence|medics|"
        r"group|army|police|institute)){0,5})\s+(?:on\s+[A-Z][a-z]+day\s+)?(?:said|reported|"
        r"announced|confirmed|told|estimated|ruled|quashed|put the (?:cost|toll|number))\b",
        r"\b(?:reported|confirmed) by\s+(?P<after2>[^,.;:]{2,60})",
    ],
}
_PATTERNS = {
    language: [re.compile(p) for p in patterns] for language, patterns in _REPORT_PATTERNS.items()
}
#: A genitive institution ("nach Angaben des Landeskriminalamts") in its nominative form.
_GENITIVE = re.compile(r"(amt|rat|gericht|ministerium|büro|werk)e?s$")
_DATELINE = re.compile(r"^[A-ZÄÖÜ]{3,}(?:/[A-ZÄÖÜ]+)?\s*(?:\([^)]*\))?\s*[–—-]\s*")
_ORGANIZATION = re.compile(
    r"(?:AG|GmbH|SE|Inc|Ltd|Health|Bank|University|Universität|Trust|Mining|Group|Company|"
    r"Corporation|Verband|Partei|Union|Stadtwerke|Werke|Bahn|Forces|Institute|Nations|Grund)$"
)
_LEADING = re.compile(
    r"^(?:(?:der|die|das|dem|den|des|the|a|an|staatlichen?|russischen?|nordkoreanischen?|"
    r"ukrainischen?|[a-zäöüß]+en|Nachrichtenagentur|news agency)\s+)+"
)


def is_source_name(name: str, names: frozenset[str]) -> bool:
    """True when ``name`` can be a source: a news agency, an institution word ("Behörden",
    "police"), a medium, or a name - not a country, a role word alone, or another common
    word."""
    words = WORD.findall(name)
    if not words:
        return False
    if is_news_agency(name):
        return True
    if all(fold_token(w) in _COUNTRIES for w in words):
        return False
    last = words[-1]
    if _INSTITUTION.search(last) or _MEDIA.search(last) or last.casefold() in {"group", "medics"}:
        return True
    if len(words) == 1 and ROLE.search(last):
        return False
    return is_name(name, names)


def source_type(name: str, before: str = "", persons: frozenset[str] = frozenset()) -> SourceType:
    """The type of the source ``name`` (``before``: the text just before its mention, "the
    journal" in "the journal Nature"; ``persons``: folded words the article uses as people's
    names after a role)."""
    words = WORD.findall(name)
    last = words[-1] if words else ""
    if is_news_agency(name):
        return SourceType.news_agency
    if _MEDIA.search(last) or _MEDIA_BEFORE.search(before):
        return SourceType.media
    if _INSTITUTION.search(last) or any(_INSTITUTION.search(w) for w in words):
        return SourceType.government
    if words and all(fold_token(w) in persons for w in words):
        return SourceType.official
    if (
        2 <= len(words) <= 3
        and not _ORGANIZATION.search(name)
        and all(w[0].isupper() and not w.isupper() for w in words)
    ):
        return SourceType.official  # a person's first and last name
    return SourceType.organization


def _cleaned(phrase: str) -> str:
    """The name in a phrase after a cue: leading articles and adjectives dropped, cut at the
    first lower-case word after the name ("die Bundespolizei mit" -> "Bundespolizei")."""
    phrase = _LEADING.sub("", phrase.strip())
    kept: list[str] = []
    for word in phrase.split(" "):
        if not kept and not word[:1].isupper():
            continue  # "an estimate by the Congressional Budget Office": the name comes later
        if kept and word[:1].islower() and word not in {"of", "for"}:
            break
        kept.append(word)
    while kept and kept[-1] in {"of", "for"}:
        kept.pop()
    return " ".join(kept).strip(" ,")


def article_sources(
    article: str, language: Language, names: frozenset[str]
) -> list[tuple[str, SourceType]]:
    """The article's sources in the order it first names them, typed (module docstring)."""
    persons = role_names(article)
    names = names | persons
    found: dict[str, tuple[str, SourceType]] = {}

    def add(name: str, before: str) -> None:
        name = _GENITIVE.sub(r"\1", name.strip(" ,."))
        if not name or not is_source_name(name, names):
            return
        key = {fold_token(w) for w in WORD.findall(name)}
        if any(key & {fold_token(w) for w in WORD.findall(n)} for n in found):
            return  # "Peskow" after "Dmitri Peskow"
        found[name] = (name, source_type(name, before, persons))

    for sentence in sentences(article):
        if "©" in sentence:
            continue  # a photo credit names the photographer's agency, not a source
        sentence = _DATELINE.sub("", flatten(sentence))
        mentions: list[tuple[int, str, str]] = []
        for pattern in _PATTERNS[language]:
            for match in pattern.finditer(sentence):
                for group, text in match.groupdict().items():
                    if not text:
                        continue
                    name = f"{text}n" if group == "angaben" and text.endswith("de") else text
                    if group in ("after", "after2", "after3", "before"):
                        name = _cleaned(name) if group != "before" else _last_name(name)
                    mentions.append((match.start(group), name, sentence[: match.start(group)]))
        for word in WORD.findall(sentence):
            if is_agency_name(word):
                mentions.append((sentence.find(word), word, ""))
        speaker, _ = sentence_speaker(sentence, language, names, subject=False)
        if speaker:
            mentions.append((sentence.find(speaker), speaker, ""))
        for _position, name, before in sorted(mentions):
            add(name, before)
    typed = list(found.values())
    if any(kind is SourceType.news_agency for _, kind in typed):
        # "Staatsmedien zufolge" next to the agency it names (KCNA): that agency, once
        typed = [(n, k) for n, k in typed if not _STATE_MEDIA.fullmatch(n)]
    return typed[:MAX_SOURCES]


def _last_name(phrase: str) -> str:
    """The name that ends ``phrase`` (the words before "zufolge" or "said"): its last run of
    capitalized words, or its last word ("Staatsmedien zufolge", "the army said")."""
    runs = name_runs(phrase)
    if runs and runs[-1][1] >= len(phrase.rstrip()) - 1:
        start = runs[-1][0]
        if len(runs) > 1 and phrase[runs[-2][1] : start].strip() in {"of", "for"}:
            start = runs[-2][0]  # "University of Geneva"
        words = phrase[start:].split()
        roles = [i for i, w in enumerate(words[:-1]) if ROLE.search(w.split("-")[-1])]
        if roles:  # "Senate Minority Leader Tom Harlan": the person
            words = words[roles[-1] + 1 :]
        while len(words) > 1 and words[0].casefold() in {"the", "die", "der", "das"}:
            words.pop(0)
        while len(words) > 1 and fold_token(words[0]) in _COUNTRIES:
            words.pop(0)  # "Ukraine Staatsmedien": the medium
        return " ".join(words)
    words = phrase.split(" ")
    tail = [w for w in words if w.casefold() not in {"the", "a", "an"}]
    return " ".join(tail[-3:]) if tail else ""
