"""Event triggers: the words that make a sentence report an event of a type, and the cues that
say how certain the article presents it.

Pure functions over one sentence. The guided pipeline
(:mod:`summarizer.pipeline.guided`) offers a small model the sentences with a trigger as event
candidates, and the types their triggers name as its choices; the event checks
(:mod:`summarizer.grounding.event_checks`) correct a type that claims a physical event (an
attack, an accident, ...) when its evidence names none of that type's words but another type's
("Drohnenangriff" is an attack, not an accident).

Each trigger is a word start, matched at a word boundary and case-insensitively: German
compounds are caught at their first part ("Drohnenangriff" by ``drohnen``, "Angriffe" by
``angriff``), and a trigger anywhere in a compound by :data:`_INNER` ("Raketenangriff").
"""

from __future__ import annotations

import re

from summarizer.datamodel.schemas import Certainty, EventType
from summarizer.datamodel.types import Language

_STEMS: dict[EventType, dict[Language, str]] = {
    EventType.attack: {
        "de": r"angriff|angegriffen|attacke|anschlag|drohnen|rakete|beschuss|beschoss|"
        r"bombard|bombe|luftangriff|erschoss|erschossen|schüsse|messerangriff|explosionen",
        "en": r"attack|strike|struck|drone|missile|shell|bomb|airstrike|air strike|shot|"
        r"shooting|stabbing|gunman|gunmen",
    },
    EventType.armed_clash: {
        "de": r"gefecht|kämpfe|kampfhandlung|zusammenstöße|schlacht|offensive",
        "en": r"clash|fighting|battle|firefight|offensive|fought",
    },
    EventType.meeting: {
        "de": r"treffen|besuch|gipfel|gespräch|telefonat|empfing|reiste",
        "en": r"meeting|met |meets|visit|summit|talks|phone call|hosted",
    },
    EventType.agreement: {
        "de": r"abkommen|vertrag|einigung|einigten|waffenruhe|waffenstillstand|vereinbar",
        "en": r"agreement|treaty|deal\b|ceasefire|truce|accord(?!ing)|agreed",
    },
    EventType.protest: {
        "de": r"protest|demonstr|kundgebung|streik|ausschreitung|krawall",
        "en": r"protest|demonstrat|rally|rallies|riot|walkout|marched",
    },
    EventType.disaster: {
        "de": r"erdbeben|hochwasser|überschwemm|unwetter|starkregen|sturm|orkan|waldbrand|"
        r"flut|lawine|dürre|epidemie|hitzewelle|erdrutsch",
        "en": r"earthquake|quake|flood|storm|hurricane|typhoon|cyclone|wildfire|landslide|"
        r"tsunami|drought|epidemic|heatwave|eruption",
    },
    EventType.accident: {
        "de": r"unfall|unglück|entgleis|zusammenstoß|absturz|stürzte|eingestürzt|einsturz|"
        r"kollision|havarie|verunglückt",
        "en": r"accident|crash|derail|collision|collapse|capsiz|plane went down",
    },
    EventType.economic: {
        "de": r"umsatz|gewinn|verlust|quartal|zins|leitzins|inflation|aktie|börse|"
        r"stellen|prozent|milliarden|millionen euro|preis",
        "en": r"revenue|profit|loss|quarter|interest rate|deposit rate|inflation|shares|"
        r"stock|market|percent|billion|price|rate cut|jobs",
    },
    EventType.legal: {
        "de": r"gericht|urteil|entschied|entschieden|klage|angeklagt|anklage|ermittl|"
        r"festgenommen|verhaftet|staatsanwalt|verurteilt|bgh",
        "en": r"court|ruling|ruled|judge|lawsuit|charged|indicted|arrested|prosecutor|"
        r"convicted|sentenced|quashed|investigation",
    },
    EventType.political: {
        "de": r"bundestag|parlament|verabschied|beschloss|beschlossen|wahl|gewählt|"
        r"rücktritt|ernannt|gesetz|abstimmung|stimmte|notstand|regierung beschl",
        "en": r"parliament|senate|congress|passed|vote|voted|election|elected|resign|"
        r"appointed|bill|law|council|state of emergency|declared",
    },
    EventType.cyberattack: {
        "de": r"cyber|hacker|ransomware|datenleck|lahmgelegt|erpressungssoftware",
        "en": r"cyber|hacker|hacked|ransomware|data breach|leak site|malware",
    },
    EventType.statement: {
        "de": r"warf|vorwurf|wies|zurückgewiesen|dementiert|kündigte|drohte|forderte|"
        r"behauptete|reklamierte|bekannte|erklärte|sagte|betonte|warnte|kritisierte|"
        r"sicherte|zugesichert|versprach",
        "en": r"denied|denies|accused|claimed|claims|threatened|warned|demanded|announced|"
        r"pledged|promised|vowed|said|says|stated|posted|condemned|criticised|criticized",
    },
}
#: Types that claim something physical happened: their type is corrected when the evidence
#: names none of their words but another type's (:func:`implied_type`).
PHYSICAL: frozenset[EventType] = frozenset(
    {
        EventType.attack,
        EventType.armed_clash,
        EventType.protest,
        EventType.disaster,
        EventType.accident,
        EventType.cyberattack,
    }
)
_PATTERNS = {
    kind: {
        language: re.compile(rf"\b(?:{stems})", re.IGNORECASE)
        for language, stems in by_language.items()
    }
    for kind, by_language in _STEMS.items()
}
#: German compounds end in their head: "Raketenangriff", "Drohnenangriffen" (the head is found
#: inside the word too).
_INNER = {
    EventType.attack: re.compile(r"angriff|anschlag|beschuss", re.IGNORECASE),
    EventType.disaster: re.compile(r"beben|hochwasser|brand", re.IGNORECASE),
    EventType.accident: re.compile(r"unfall|unglück|absturz", re.IGNORECASE),
    EventType.cyberattack: re.compile(r"cyber|hacker", re.IGNORECASE),
}


def triggers(sentence: str, language: Language) -> dict[EventType, int]:
    """``{type: position of its first trigger}`` for every type ``sentence`` names a word of,
    in the order they appear."""
    found: dict[EventType, int] = {}
    for kind, by_language in _PATTERNS.items():
        match = by_language[language].search(sentence)
        inner = _INNER.get(kind)
        inside = inner.search(sentence) if inner is not None and language == "de" else None
        positions = [m.start() for m in (match, inside) if m is not None]
        if positions:
            found[kind] = min(positions)
    return dict(sorted(found.items(), key=lambda item: item[1]))


def trigger_types(sentence: str, language: Language) -> list[EventType]:
    """The types ``sentence`` names a word of, physical ones first (a sentence that reports a
    drone attack "nach Behördenangaben" is an attack before it is a statement), then in order."""
    found = list(triggers(sentence, language))
    return [k for k in found if k in PHYSICAL] + [k for k in found if k not in PHYSICAL]


def implied_type(event_type: EventType, sentence: str, language: Language) -> EventType | None:
    """The physical type ``sentence`` names when ``event_type`` claims a physical event that
    the sentence names no word of (a drone strike typed ``accident``: ``attack``), or when it
    claims none but the sentence reports a physical one as its first event word; None when
    ``event_type`` fits (or nothing better is named)."""
    found = trigger_types(sentence, language)
    physical = [k for k in found if k in PHYSICAL]
    if event_type in found:
        return None
    if event_type in PHYSICAL:
        return physical[0] if physical else None
    return None


_CERTAINTY_CUES: list[tuple[Certainty, dict[Language, str]]] = [
    (
        Certainty.denied,
        {
            "de": r"wies\b.{0,80}\bzurück|zurückgewiesen|dementiert|bestritt|bestreitet",
            "en": r"\bdenied\b|\bdenies\b|\brejected\b.{0,40}\breports?\b",
        },
    ),
    (
        Certainty.claimed,
        {
            "de": r"behauptete|reklamierte|warf\b.{0,80}\bvor\b|beansprucht|für sich",
            "en": r"\bclaimed\b|\bclaims\b|\baccused\b|\bposted\b|\bsaid it had\b",
        },
    ),
    (
        Certainty.planned,
        {
            "de": r"\bwill\b|\bsoll\b|\bsollen\b|\bplant\b|\bplanen\b|\bbis ende\b",
            "en": r"\bwill\b|\bplans? to\b|\bis to\b|\bby the end of\b|\bwould\b",
        },
    ),
    (
        Certainty.announced,
        {
            "de": r"kündigte|angekündigt|kündigt",
            "en": r"\bannounced\b|\bannounces\b|\bvowed\b",
        },
    ),
    (
        Certainty.reported,
        {
            "de": r"zufolge|\blaut\b|angaben|berichtete|meldete|gemeldet|seien\b|habe\b|"
            r"\bsagte\b|erklärte|teilte",
            "en": r"according to|\breported\b|\bsaid\b|\btold\b|\bsays\b",
        },
    ),
]
_CERTAINTY = [
    (value, {lang: re.compile(cues, re.IGNORECASE) for lang, cues in by_language.items()})
    for value, by_language in _CERTAINTY_CUES
]


def certainty_of(sentence: str, language: Language) -> Certainty:
    """How ``sentence`` presents what it reports: denied, claimed, planned, announced or
    reported by its cues (first that applies), else confirmed (stated as fact)."""
    for value, by_language in _CERTAINTY:
        if by_language[language].search(sentence):
            return value
    return Certainty.confirmed
