"""The entities of the guided pipeline: the model's list, cleaned, and the names rules find.

The embedded model lists a handful of an article's names (8 at most), some of them common
nouns ("Mieterin", "parents") or in the case the sentence used ("des Landeskriminalamts"), and
types what it does not know ("Deutsche Bahn" as a person when it was quoted). The list a user
gets is:

1. the model's entities without a role word before the name ("Präsident Wolodymyr Selenskyj"),
   without lower-case words around an English name ("Halvern mine" -> "Halvern"), German
   genitives in their dictionary form ("Landeskriminalamts" -> "Landeskriminalamt"), and no
   common noun: an English name has a word the article capitalizes within a sentence, a person
   has a name word (two capitalized words, or one the lexicon does not know: not "Ermittler");
2. retyped where the article says otherwise: a name the article introduces as an armed or
   criminal group is a ``group``; a "person" whose name holds an institution word ("Bank",
   "Ministerium", "AG") is an ``organization``;
3. the quotes' speakers it left out: a person, or an organization where the article's sources
   type that name as an institution;
4. the article's sources of an institutional kind (agencies, media, authorities, companies and
   other organizations: "KCNA") and officials with a full name;
5. abbreviations that name someone ("AFP"; "RSF" as the "Rapid Support Forces" it stands for);
6. the places the article names (:func:`~summarizer.text.named.places_named`: countries,
   divisions, towns of the gazetteer).

Each name once: one that names what a listed entity names (the same words up to inflection)
is not added again.
"""

from __future__ import annotations

import re

from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.schemas import Entity, EntityType, Quote, Source, SourceType
from summarizer.datamodel.types import Language
from summarizer.text.lexicon import acronyms, article_names, fold_token, lemma, same_name_token
from summarizer.text.named import GENERIC, abbreviations_named, group_cued, places_named
from summarizer.text.speakers import ROLE

#: Source kinds that are institutions (listed as organizations when the model missed them).
INSTITUTIONS = frozenset(
    [SourceType.news_agency, SourceType.media, SourceType.government, SourceType.organization]
)
#: Words that make a name an institution's, not a person's.
_INSTITUTION_WORD = re.compile(
    r"\b(?:AG|GmbH|Inc|Ltd|Corp|Bank|Institut|Institute|University|Universität|Council|"
    r"Agency|Office|Ministry|Ministerium|Court|Gericht|Verband|Partei|Party|Stadtwerke|"
    r"Group|Trust|Health|Bahn|Polizei|Police)\b|(?:amt|gericht|verband|behörde)\b",
    re.IGNORECASE,
)


def _words(name: str) -> list[str]:
    return [fold_token(w) for w in re.findall(r"[^\W_]+", name)]


def names_same(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are the same words, up to inflection endings."""
    left, right = _words(a), _words(b)
    return len(left) == len(right) > 0 and all(
        same_name_token(x, y) for x, y in zip(left, right, strict=True)
    )


def _without_role(name: str) -> str:
    words = name.split()
    while len(words) > 1 and ROLE.search(words[0]):
        words.pop(0)
    return " ".join(words)


def _trimmed(name: str, language: Language) -> str:
    """An English name without lower-case words around it ("Halvern mine")."""
    words = name.split()
    if language == "en" and any(w[:1].isupper() for w in words):
        while words and not words[-1][:1].isupper() and not re.search(r"\d", words[-2:][0]):
            words.pop()  # "Halvern mine" -> "Halvern"; "LHS 1140 b" stays
        while words and not words[0][:1].isupper():
            words.pop(0)
    return " ".join(words)


def _nominative(name: str, article: str, language: Language) -> str:
    """A German name's last word in its dictionary form where it was a genitive."""
    words = name.split()
    last = words[-1] if words else ""
    if language != "de" or not last.endswith("s") or not last[:1].isupper():
        return name
    base = lemma(last, "de")
    if last.casefold().startswith(base) and len(last) - len(base) in (1, 2):
        words[-1] = last[: len(base)]
        return " ".join(words)
    return name


def _is_name(name: str, kind: EntityType, language: Language, known: frozenset[str]) -> bool:
    if name in GENERIC:
        return False  # "AI", "CEO"
    words = re.findall(r"[^\W_]+", name)
    capitalized = [w for w in words if w[:1].isupper()]
    if not capitalized:
        return False
    if language == "en" and not any(fold_token(w) in known for w in capitalized):
        return False  # "Astronomers", "Army": capitalized only where a sentence starts
    if kind is EntityType.person and len(capitalized) < 2:
        # "Putin", not "Ermittler", "Mieterin" (words the lexicon knows), not "AI"
        return not name.isupper() and fold_token(capitalized[0]) in known
    return True


def _retyped(name: str, kind: EntityType, article: str) -> EntityType:
    if kind in (EntityType.organization, EntityType.other) and group_cued(name, article):
        return EntityType.group
    if kind is EntityType.person and _INSTITUTION_WORD.search(name):
        return EntityType.organization
    return kind


def _from_source(source: Source, language: Language) -> Entity | None:
    name = source.name
    if not name[:1].isupper():
        return None  # "authorities", "army"
    if source.type is SourceType.official:
        if sum(w[:1].isupper() for w in name.split()) < 2:
            return None  # "Kreml-Sprecher" names a role, not a person
        return Entity(name=name, type=EntityType.person, description="")
    if source.type not in INSTITUTIONS:
        return None
    plural = language == "de" and " " not in name and lemma(name, "de") != name.casefold()
    if plural and not name.isupper():
        return None  # "Behörden": a plural common noun
    return Entity(name=name, type=EntityType.organization, description="")


def article_entities(
    request: ArticleRequest, listed: list[Entity], quotes: list[Quote], sources: list[Source]
) -> list[Entity]:
    """The entities of the guided pipeline's reply (module docstring)."""
    article, language = request.text, request.language
    known = article_names(article, language)
    found: list[Entity] = []

    def add(entity: Entity) -> None:
        if entity.name and not any(names_same(entity.name, e.name) for e in found):
            found.append(entity)

    abbreviations = abbreviations_named(article)
    spelled_out = {short: long for short, long in abbreviations if long}
    for entity in listed:
        name = _nominative(_trimmed(_without_role(entity.name), language), article, language)
        name = spelled_out.get(name, name)  # "RSF" -> "Rapid Support Forces"
        if _is_name(name, entity.type, language, known):
            kind = _retyped(name, entity.type, article)
            add(entity.model_copy(update={"name": name, "type": kind}))
    institutions = {s.name for s in sources if s.type in INSTITUTIONS}
    for quote in quotes:
        speaker = quote.speaker
        if not speaker[:1].isupper() or any(
            set(speaker.split()) & set(e.name.split()) for e in found
        ):
            continue
        kind = EntityType.organization if speaker in institutions else EntityType.person
        add(Entity(name=speaker, type=_retyped(speaker, kind, article), description=""))
    for source in sources:
        entity = _from_source(source, language)
        if entity is not None:
            add(entity.model_copy(update={"type": _retyped(entity.name, entity.type, article)}))
    for short, spelled in abbreviations:
        if any(
            names_same(short, e.name)
            or short in acronyms(e.name)  # "ECB" of "European Central Bank"
            or (spelled and names_same(spelled, e.name))
            for e in found
        ):
            continue
        name = spelled or short
        add(
            Entity(name=name, type=_retyped(name, EntityType.organization, article), description="")
        )
    people = [e.name for e in found if e.type is EntityType.person]
    for place in places_named(article, language, people):
        add(Entity(name=place, type=EntityType.location, description=""))
    return found
