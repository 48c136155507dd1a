"""The parts of a summary that rules read more reliably than a small model: quotes, sources,
event candidates and their fields, and the sentences a summary covers.

Pure functions of the article (and of names a model listed). What a 1.5B model on 2 cores gets
wrong - who said a quote, which names are sources, which figure is of which kind, what is a
time - is regular in news language (:mod:`summarizer.text.attribution`,
:mod:`summarizer.text.sources`, :mod:`summarizer.text.triggers`, :mod:`summarizer.text.times`,
:mod:`summarizer.grounding.casualties`); the guided pipeline (:mod:`summarizer.pipeline.guided`)
leaves the model what it is good at: short sentences about a given sentence.

Events: the lead sentence reports the main event (news puts it first); later sentences are
events when they name a physical event (an attack, a disaster, ...), an agreement, or a
statement made with a strong verb (accused, denied, announced, claimed - not every "said").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.datamodel.schemas import (
    AlignmentStatus,
    Certainty,
    EventType,
    Quote,
    Source,
)
from summarizer.datamodel.types import Language
from summarizer.text.instructions import addresses_model, without_instructions
from summarizer.text.segmentation import (
    article_sentence_spans,
    flatten,
    paragraph_spans,
    quoted_spans,
)
from summarizer.text.sources import article_sources, is_source_name
from summarizer.text.speakers import ROLE, attributed_quote, quote_speaker
from summarizer.text.times import event_time
from summarizer.text.triggers import PHYSICAL, certainty_of, trigger_types

MAX_QUOTES = 8
MAX_EVENTS = 8
MAX_STATEMENTS = 2
MIN_BODY_WORDS = 6

#: Verbs that make a statement an event (an accusation, a denial, a claim, an announcement).
_STRONG_STATEMENT = {
    "de": re.compile(
        r"\b(?:warf|wirft|wies|dementiert|kündigte|kündigt|drohte|droht|forderte|behauptete|"
        r"reklamierte|sicherte|zugesichert|versprach|warnte|kritisierte|bekannte)\b",
        re.IGNORECASE,
    ),
    "en": re.compile(
        r"(?<!had )\b(?:denied|denies|accused|claimed|threatened|warned|demanded|announced|"
        r"pledged|promised|"
        r"vowed|condemned|critici[sz]ed|posted (?:on|that)|in a statement|declared)\b",
        re.IGNORECASE,
    ),
}


@dataclass(frozen=True)
class Candidate:
    """An article sentence that reports an event, with what rules read from it."""

    start: int
    end: int
    text: str
    event_type: EventType
    certainty: Certainty
    time: str | None
    paragraph: int
    physical: bool
    casualties: bool


def body_sentences(article: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph number) of the article's body sentences: not the headline line
    (a first paragraph of one line without a full stop), a byline, a photo credit, page
    furniture ("Artikel 3 von 5") or text addressed to a model (cut off a sentence it was
    run into)."""
    paragraphs = paragraph_spans(article)
    found = []
    for span in article_sentence_spans(article):
        clean = without_instructions(article, *span)
        if clean is None:  # text addressed to a model
            continue
        start, end = clean
        number = next((n for n, (s, e) in enumerate(paragraphs) if s <= start < e), 0)
        text = article[start:end]
        if "©" in text or len(text.split()) < MIN_BODY_WORDS:
            continue
        if number == 0 and len(paragraphs) > 1 and not text.rstrip().endswith((".", "!", "?")):
            continue  # the headline
        found.append((start, end, number))
    return found


def title_line(article: str) -> str | None:
    """The article's headline line: a first paragraph of one short line without a full stop
    (not text that addresses a model)."""
    paragraphs = paragraph_spans(article)
    if len(paragraphs) < 2:
        return None
    start, end = paragraphs[0]
    line = flatten(article[start:end])
    if "\n" in article[start:end].strip() or line.endswith((".", "!", "?")) or len(line) > 120:
        return None
    return None if addresses_model(line) or len(line.split()) < 3 else line


def rule_quotes(
    article: str, language: Language, names: frozenset[str], known: list[str] | None = None
) -> list[Quote]:
    """The article's quotes: passages in quotation marks that someone is said to say, each with
    the speaker the sentence attributes it to (:func:`~summarizer.text.speakers.
    quote_speaker`), by the fullest name the article gives them (``known``: names listed
    elsewhere, "Dmitri Peskow" for "Peskow"); a passage attributed to nobody is left out."""
    quotes = []
    for start, end in quoted_spans(article):
        text = article[start:end]
        if len(text.strip()) < 3 or not attributed_quote(article, start, end, language):
            continue
        speaker = quote_speaker(article, start, language, names)
        if speaker is None:
            continue
        quotes.append(
            Quote(
                speaker=speaker,
                text=text,
                start=start,
                end=end,
                alignment=AlignmentStatus.exact,
            )
        )
    fuller = [*(known or []), *(q.speaker for q in quotes)]
    for quote in quotes:
        quote.speaker = fullest_name(quote.speaker, fuller)
    return quotes[:MAX_QUOTES]


def fullest_name(name: str, names: list[str]) -> str:
    """The longest of ``names`` that contains every word of ``name`` ("Dmitri Peskow" for
    "Peskow"), else ``name``."""
    words = set(name.split())
    longer = [n for n in names if words < set(n.split()) and not ROLE.search(n.split()[0])]
    return max(longer, key=len) if longer else name


def rule_sources(article: str, language: Language, names: frozenset[str]) -> list[Source]:
    """The article's sources, typed (:func:`~summarizer.text.sources.article_sources`)."""
    return [Source(name=n, type=t) for n, t in article_sources(article, language, names)]


def _event_type(sentence: str, language: Language, lead: bool) -> EventType | None:
    found = trigger_types(sentence, language)
    physical = [t for t in found if t in PHYSICAL]
    if not lead and _DECISION[language].search(sentence):
        return EventType.political  # "declared a state of emergency"
    # "Nach den Drohnenangriffen kündigte Moskau eine Reaktion an", "accused the army of
    # bombing": the event is the statement; the attacks are its occasion or its content.
    if _STRONG_STATEMENT[language].search(sentence) and not _has_casualty_word(sentence):
        return EventType.statement
    if physical:
        return physical[0]
    if EventType.agreement in found:
        return EventType.agreement
    if EventType.meeting in found and EventType.meeting is found[0]:
        return EventType.meeting
    if lead:
        others = [t for t in found if t is not EventType.statement]
        return others[0] if others else EventType.other
    return None


#: Decisions that are political events wherever they are told.
_DECISION = {
    "de": re.compile(r"\b(?:notstand|rücktritt|zurückgetreten|ernannt|gewählt)", re.IGNORECASE),
    "en": re.compile(r"\b(?:state of emergency|resigned|appointed|elected)\b", re.IGNORECASE),
}
#: A later sentence about the victims of an event told before ("Most of the victims died").
_FOLLOW_UP = re.compile(r"\b(?:victims|opfer|der toten|unter den|among the)\b", re.IGNORECASE)


_CASUALTY_WORDS = re.compile(
    r"getötet|tote|todesopfer|verletzt|ums leben|killed|dead|died|injured|wounded",
    re.IGNORECASE,
)


def _has_casualty_word(sentence: str) -> bool:
    return bool(_CASUALTY_WORDS.search(sentence))


def event_candidates(article: str, language: Language) -> list[Candidate]:
    """The sentences that report events, the main one (the lead) first, then in article
    order; at most :data:`MAX_EVENTS`, of them at most :data:`MAX_STATEMENTS` statements after
    the lead, and per paragraph one physical event of a type unless a later one states its own
    casualties."""
    body = body_sentences(article)
    found: list[Candidate] = []
    statements = 0
    for index, (start, end, paragraph) in enumerate(body):
        text = flatten(article[start:end])
        lead = not found
        kind = _event_type(text, language, lead=lead)
        if lead and kind is EventType.other and index + 1 < len(body):
            # "Vermieter dürfen ... nicht": the ruling is told in the next sentence.
            s2, e2, p2 = body[index + 1]
            following = _event_type(flatten(article[s2:e2]), language, lead=True)
            if p2 == paragraph and following not in (EventType.other, EventType.statement):
                continue  # the next sentence is the lead event
        if kind is None:
            continue
        casualties = _has_casualty_word(text)
        physical = kind in PHYSICAL
        if not lead and physical:
            time_or_place = event_time(text, language) or any(event_place(text))
            if not (casualties or time_or_place) or _FOLLOW_UP.search(text):
                continue  # an attack mentioned, not reported; the victims of one told
        if not lead and kind is EventType.statement:
            if statements >= MAX_STATEMENTS:
                continue
            statements += 1
        if (
            not lead
            and physical
            and not casualties
            and any(c.paragraph == paragraph and c.event_type is kind for c in found)
        ):
            continue  # the same attack told again in its paragraph
        found.append(
            Candidate(
                start=start,
                end=end,
                text=text,
                event_type=kind,
                certainty=certainty_of(text, language),
                time=event_time(text, language),
                paragraph=paragraph,
                physical=physical,
                casualties=casualties,
            )
        )
    found = without_repeats(found)
    if len(found) <= MAX_EVENTS:
        return found
    # Keep the lead, then those with casualties, then physical ones, then the rest.
    ranked = sorted(
        found[1:],
        key=lambda c: (not c.casualties, not c.physical, c.start),
    )
    kept = {id(c) for c in [found[0], *ranked[: MAX_EVENTS - 1]]}
    return [c for c in found if id(c) in kept]


def summary_topics(
    candidates: list[Candidate], article: str, limit: int
) -> list[tuple[int, int, str]]:
    """(start, end, text) of the sentences a summary covers, in order of importance: the
    article's first sentence (its lead), the main event when another sentence tells it, the
    events of further paragraphs that state casualties, the lead paragraph's next sentence,
    one event of each further paragraph, then the first sentences of paragraphs not covered
    (a report's topics start its paragraphs); at most ``limit``."""
    body = body_sentences(article)
    if not body:
        return []
    chosen: list[tuple[int, int, str]] = []

    def take(start: int, end: int) -> None:
        if len(chosen) < limit and all(start != c[0] for c in chosen):
            chosen.append((start, end, flatten(article[start:end])))

    first_start, first_end, lead_paragraph = body[0]
    take(first_start, first_end)
    if candidates:
        take(candidates[0].start, candidates[0].end)
    per_paragraph: dict[int, Candidate] = {}
    for candidate in candidates[1:]:
        if candidate.paragraph != lead_paragraph:
            per_paragraph.setdefault(candidate.paragraph, candidate)
            if candidate.casualties and not per_paragraph[candidate.paragraph].casualties:
                per_paragraph[candidate.paragraph] = candidate
    for candidate in sorted(per_paragraph.values(), key=lambda c: c.start):
        if candidate.casualties:
            take(candidate.start, candidate.end)
    following = [(s, e) for s, e, p in body[1:] if p == lead_paragraph]
    if following:
        take(*following[0])
    for candidate in sorted(per_paragraph.values(), key=lambda c: c.start):
        take(candidate.start, candidate.end)
    covered = {lead_paragraph, *per_paragraph}
    for start, end, paragraph in body:
        if paragraph not in covered:
            covered.add(paragraph)
            take(start, end)
    return chosen


def without_repeats(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates without a physical event that a later sentence of its paragraph tells
    again with its casualties ("Russland setzte seine Angriffe fort." before the attack that
    killed five)."""
    kept = []
    for candidate in candidates:
        repeated = (
            candidate is not candidates[0]
            and candidate.physical
            and not candidate.casualties
            and any(
                c.paragraph == candidate.paragraph
                and c.casualties
                and c.event_type is candidate.event_type
                for c in candidates
            )
        )
        if not repeated:
            kept.append(candidate)
    return kept


_PLACE = re.compile(
    r"\b(?:in|bei|nahe|near|at|im|outside)\s+(?:der |dem |den |des |the )?"
    r"(?:(?:Region|Provinz|Stadt|Bezirk|Landkreis|town of|city of|province of|region of|"
    r"district of|village of)\s+)?"
    r"(?P<name>[A-ZÄÖÜ][\w'-]+(?:\s(?:[A-ZÄÖÜ][\w'-]+))*)"
)
_DIRECTION = re.compile(
    r"\b(?:im|in the|in)\s+(?:Norden|Süden|Osten|Westen|Nordosten|Nordwesten|Südosten|"
    r"Südwesten|north|south|east|west|northern|southern|eastern|western)\s+(?:der |des |of )?"
    r"(?P<name>[A-ZÄÖÜ][\w'-]+)"
)
_NOT_PLACES = re.compile(
    r"^(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|"
    r"January|February|March|June|July|October|December|Montag|Dienstag|Mittwoch|Donnerstag|"
    r"Freitag|Samstag|Sonntag|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"Norden|Süden|Osten|Westen|Nacht|Krieg|Vergleich|Verwaltung|Zuge|Folge|Nähe|Rahmen|"
    r"Jahr|Quartal|Prozent|Höhe|Richtung|Anschluss)",
)


def event_place(sentence: str) -> tuple[str | None, str | None]:
    """(place, region) the sentence names after a preposition of place ("bei Göttingen", "in
    der Region Poltawa", "im Norden der Ukraine" -> region "Ukraine"), as written."""
    place = region = None
    direction = _DIRECTION.search(sentence)
    if direction:
        region = direction.group("name")
    for match in _PLACE.finditer(sentence):
        name = match.group("name")
        if _NOT_PLACES.match(name) or (direction and name == region):
            continue
        place = name
        break
    return place, region


def event_source(
    sentence: str, paragraph: str, language: Language, names: frozenset[str]
) -> str | None:
    """Who reports the event: the sentence's own source, else its paragraph's first."""
    for text in (sentence, paragraph):
        for name, _type in article_sources(text, language, names):
            if is_source_name(name, names):
                return name
    return None
