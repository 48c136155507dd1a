"""Casualty claims read from the text: who says how many were killed, injured, missing,
displaced or arrested, as a range with its qualifier, grounded in the sentence that says it.

Read by rules, not by the model, from an event's evidence sentence and the two sentences after
it in the same paragraph (figures often follow the report: "Bei dem Angriff ... Mindestens fünf
Menschen wurden getötet, teilten die Behörden mit."). A claim is the number nearest to a
casualty word (:data:`CUES`), within :data:`WINDOW` tokens, not across a comma, an "and" or
another casualty word. What the words before the number say becomes the range:

=========================================  ==========================  ===============
text                                       min / max                   approximate
=========================================  ==========================  ===============
"fünf", "5"                                5 / 5                       no
"mindestens fünf", "at least 5"            5 / none                    no
"mehr als 200", "more than 200", "über"    200 / none (ACLED's code)   no
"bis zu 12", "up to 12"                    none / 12                   no
"zwischen 10 und 12", "10 bis 12"          10 / 12                     no
"rund 50", "about 50", "nearly 50"         50 / 50                     yes
"Dutzende", "dozens"                       12 / none                   yes
"Hunderte", "hundreds"                     100 / none                  yes
"Tausende", "thousands"                    1000 / none                 yes
=========================================  ==========================  ===============

Vague words take ACLED's coding (a report of "dozens" killed is coded 12, "hundreds" 100; we
code "thousands" 1000 by the same rule): the lowest number the word can mean. "More than 200"
is coded 200, as ACLED codes it: the figure stated, so a claim and its record's ``fatalities``
say the same number.

A breakdown of a total is not a claim of its own: "Two of the dead were children", „Zwei der
Toten waren Kinder" (a figure followed by "of"/"der" before the casualty word), "Among the dead
were three children", „Unter den Toten sind drei Kinder", „darunter zwei Kinder" (a figure after
"among", "unter", "darunter", "including" in the window).

The claimant is whom the sentence reports through (:func:`~summarizer.text.attribution.
reported_by`: "laut Polizei", "officials said"), else whom its paragraph does, else none; only
a name the article uses as one, or an institution or office ("Ukraine's interior minister",
„Gouverneur der Region"), counts (not "Tuesday" or "Three").
A later sentence's further count ("three more died", „weitere") adds to a kind already claimed
and is left out; of a kind not claimed yet ("Zwölf weitere Bewohner wurden verletzt" after the
dead) it is that kind's claim.
Claims that disagree are all kept: "police say 3, the district office 5" is two claims.

An event's convenience figures ``fatalities``/``injured`` take, where the model left them empty,
the lowest figure its killed/injured claims state as a number (ACLED's rule of the lowest
reliable figure): a claim's ``min`` ("more than 200": 200), never a vague word's 12.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.datamodel.schemas import CasualtyClaim, CasualtyKind, EventRecord, EvidenceSpan
from summarizer.datamodel.types import Language
from summarizer.text.attribution import reported_by
from summarizer.text.lexicon import fold_token
from summarizer.text.numbers import claimed_values
from summarizer.text.segmentation import paragraph_around, sentence_spans

CUES: dict[CasualtyKind, str] = {
    CasualtyKind.killed: r"getötet|tötete|töteten|tot|tote|toten|todesopfer|starb|starben|leben|"
    r"leichen|killed|kill|kills|killing|dead|died|deaths|death|fatalities|bodies",
    CasualtyKind.injured: r"verletzt|verletzte|verletzten|verwundet|verwundete|verwundeten|"
    r"injured|injuring|injuries|wounded|wounding|hurt",
    CasualtyKind.missing: r"vermisst|vermisste|vermissten|verschollen|missing|unaccounted",
    CasualtyKind.displaced: r"vertrieben|obdachlos|evakuiert|geflüchtet|geflohen|displaced|"
    r"evacuated|homeless|fled",
    CasualtyKind.arrested: r"festgenommen|verhaftet|festnahmen|inhaftiert|arrested|detained|"
    r"arrests|custody",
}
_CUE = {kind: re.compile(rf"^(?:{cues})$", re.IGNORECASE) for kind, cues in CUES.items()}
_ANY_CUE = re.compile(rf"^(?:{'|'.join(CUES.values())})$", re.IGNORECASE)
_STOPS = frozenset({",", ";", ":", "(", ")", "und", "and", "sowie", "while", "während", "but"})
WINDOW = 8
_ABOUT = frozenset(
    {"rund", "etwa", "ungefähr", "circa", "ca", "knapp", "fast", "beinahe", "nahezu", "about",
     "around", "approximately", "nearly", "almost", "roughly", "some"}
)  # fmt: skip
_VAGUE = {
    "dutzende": 12,
    "dozens": 12,
    "hunderte": 100,
    "hundreds": 100,
    "tausende": 1000,
    "thousands": 1000,
}
#: Words that make the figures after them a breakdown of a total ("among the dead", "darunter").
_PART_OF = frozenset({"among", "amongst", "unter", "darunter", "including", "einschließlich"})
#: A figure followed by one of these before its casualty word is a part ("two of the dead").
_PARTITIVE = frozenset({"of", "der", "von"})
_TOKEN = re.compile(r"[\w.,]*\d[\w.,]*|\w+|[^\w\s]")


@dataclass(frozen=True)
class Claim:
    """One casualty claim, as offsets into the article."""

    kind: CasualtyKind
    min: int | None
    max: int | None
    approximate: bool
    claimant: str | None
    start: int
    end: int


#: Ordinals are not counts ("a third man died" is one death, not three).
_ORDINAL = re.compile(
    r"^(?:first|second|third|fifth|\w+th|erste|zweite|dritte|\w+te)[nmrs]?$", re.IGNORECASE
)


def _count(token: str, language: Language) -> int | None:
    if _ORDINAL.match(token):
        return None
    values = [int(v) for v in claimed_values(token, language) if v == int(v) and v >= 0]
    return values[0] if values else None


def _range(tokens: list[str], at: int, value: int) -> tuple[int | None, int | None, bool]:
    """The range the words before ``tokens[at]`` (the figure ``value``) make of it."""
    before = {t.casefold() for t in tokens[max(at - 3, 0) : at]}
    if before & {"mindestens", "wenigstens", "least", "fewer"}:  # "at least", "no fewer than"
        return value, None, False
    if (before & {"mehr", "more"} and before & {"als", "than"}) or before & {"über", "over"}:
        return value, None, False  # ACLED's code: the figure stated (module docstring)
    if {"bis", "zu"} <= before or {"up", "to"} <= before or {"as", "many"} <= before:
        return None, value, False
    if before & _ABOUT:
        return value, value, True
    return value, value, False


def _between(tokens: list[str], at: int, language: Language) -> int | None:
    """The upper figure of "zwischen 10 und 12", "between 10 and 12", "10 bis 12", "10 to 12"."""
    if at + 2 >= len(tokens) or tokens[at + 1].casefold() not in ("und", "and", "bis", "to"):
        return None
    opener = tokens[at - 1].casefold() if at else ""
    if tokens[at + 1].casefold() in ("und", "and") and opener not in ("zwischen", "between"):
        return None
    return _count(tokens[at + 2], language)


def _between_back(tokens: list[str], at: int, language: Language) -> int | None:
    """The lower figure when ``tokens[at]`` is the upper one of such a range."""
    if at < 2 or tokens[at - 1].casefold() not in ("und", "and", "bis", "to"):
        return None
    opener = tokens[at - 3].casefold() if at >= 3 else ""
    if tokens[at - 1].casefold() in ("und", "and") and opener not in ("zwischen", "between"):
        return None
    return _count(tokens[at - 2], language)


Reading = tuple[CasualtyKind, int | None, int | None, bool]


def _breakdown(tokens: list[str], figure: int, cue: int) -> bool:
    """Whether the figure at ``figure`` breaks down a total told by the casualty word at
    ``cue`` (module docstring) instead of claiming one."""
    if figure < cue and tokens[figure + 1].casefold() in _PARTITIVE:
        return True
    low = min(figure, cue)
    window = tokens[max(low - 3, 0) : max(figure, cue)]
    return any(t.casefold() in _PART_OF for t in window)


def sentence_claims(sentence: str, language: Language) -> list[Reading]:
    """The (kind, min, max, approximate) claims of one sentence (breakdowns left out)."""
    tokens = _TOKEN.findall(sentence)
    found: list[Reading] = []
    for index, token in enumerate(tokens):
        kind = next((k for k, cue in _CUE.items() if cue.match(token)), None)
        if kind is None:
            continue
        for step in (-1, 1):
            position = index + step
            claim: Reading | None = None
            while 0 <= position < len(tokens) and abs(position - index) <= WINDOW:
                word = tokens[position]
                if word.casefold() in _STOPS or _ANY_CUE.match(word):
                    break
                if word.casefold() in _VAGUE:
                    claim = (kind, _VAGUE[word.casefold()], None, True)
                    break
                value = _count(word, language)
                if value is not None and value > 0 and _breakdown(tokens, position, index):
                    break
                if value is not None and value > 0:
                    upper = _between(tokens, position, language)
                    lower = _between_back(tokens, position, language)
                    if upper is not None and upper > value:
                        claim = (kind, value, upper, False)
                    elif lower is not None and lower < value:
                        claim = (kind, lower, value, False)
                    else:
                        claim = (kind, *_range(tokens, position, value))
                    break
                position += step
            if claim is not None:
                found.append(claim)
                break
    return list(dict.fromkeys(found))


#: "The death toll rose to 10", "Die Zahl der Toten stieg auf zehn": the figure follows the verb.
_TOLL = re.compile(
    r"\b(?:rose|risen|rises|climbed|increased|stieg|steigt|gestiegen)\s+(?:to|auf)\s+([\w.,]+)",
    re.IGNORECASE,
)
#: Words the claimant finder catches that name no one.
_NOT_CLAIMANT_TEXT = (
    "monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch "
    "donnerstag freitag samstag sonntag january february march april may june july "
    "august september october november december januar februar märz juni juli oktober "
    "dezember one two three four five six seven eight nine ten eleven twelve several "
    "many some eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf mehrere "
    "viele he she they it er sie es"
)
_NOT_CLAIMANT = frozenset(_NOT_CLAIMANT_TEXT.split())
#: Institutions and offices a figure is attributed to without a person's name.
_INSTITUTION = re.compile(
    r"behörde|polizei|regierung|ministerium|armee|militär|feuerwehr|zivilschutz|landratsamt|"
    r"staatsanwaltschaft|rettungsdienst|police|officials?|authorities|ministry|government|"
    r"army|military|brigade|defen[cs]e|service|institute|association|agency|minister|"
    r"governor|mayor|spokes(?:man|woman|person)|president|commander|sprecher|bürgermeister|"
    r"gouverneur|präsident|kommandeur",
    re.IGNORECASE,
)


_PHRASE = r"((?:[\w'’.-]+ ){0,4}?[\w'’.-]+)"
#: A German name phrase: capitalized words, joined by "der"/"des" ("Sprecher der Feuerwehr").
_NOUNS = r"([A-ZÄÖÜ][\w'’-]*(?: (?:der |des )?[A-ZÄÖÜ][\w'’-]*)*)"
#: Where a sentence says who states it: "X said", "according to X", "teilte X mit", "laut X".
_STATED_BY: dict[Language, list[re.Pattern[str]]] = {
    "en": [
        re.compile(rf"(?:^|, |\b(?:and|as) ){_PHRASE} (?:said|says|reported|announced|told)\b"),
        re.compile(rf"\baccording to (?:the )?{_PHRASE}(?:[,.;]|$)"),
        re.compile(rf"\b(?:said|says) (?:the )?{_PHRASE}(?:[,.;]|$)"),
    ],
    "de": [
        re.compile(rf"\b(?:teilte|teilten) (?:der |die |das )?{_NOUNS}"),
        re.compile(rf"\bwie (?:der |die |das )?{_NOUNS} (?:mitteilte|mitteilten|sagte)\b"),
        re.compile(rf"\b(?:sagte|erklärte) (?:der |die |das |ein |eine )?{_NOUNS}"),
        re.compile(rf"\b(?:laut|nach Angaben (?:des|der)) {_NOUNS}"),
    ],
}


def _stated_by(sentence: str, language: Language) -> list[str]:
    """The phrases that say who states ``sentence`` ("regional governor Oleh Syniehubov")."""
    found = []
    for pattern in _STATED_BY[language]:
        for match in pattern.finditer(sentence):
            phrase = match.group(1).strip().rstrip(".")
            phrase = re.sub(r"^(?:the|a|an|der|die|das|ein|eine) ", "", phrase, flags=re.I)
            if phrase:
                found.append(phrase)
    return found


def _claimant(candidates: list[str], names: frozenset[str]) -> str | None:
    """The first candidate that names someone: a name the article uses, or an institution."""
    for candidate in candidates:
        words = candidate.split()
        if any(w.casefold() in _NOT_CLAIMANT for w in words) or candidate.casefold() in (
            "he",
            "she",
            "they",
            "er",
            "sie",
            "it",
        ):
            continue
        bare = [re.sub(r"['’]s$", "", w) for w in words]  # "Ukraine's interior minister"
        if _INSTITUTION.search(candidate) or any(fold_token(w) in names for w in bare):
            return candidate
    return None


def _toll(sentence: str, language: Language) -> list[Reading]:
    """A rising toll's new figure, with the kind its sentence names first."""
    match = _TOLL.search(sentence)
    if match is None:
        return []
    value = _count(match.group(1).rstrip(".,"), language)
    tokens = _TOKEN.findall(sentence)
    kind = next((k for t in tokens for k, cue in _CUE.items() if cue.match(t)), None)
    if value is None or kind is None:
        return []
    return [(kind, value, value, False)]


#: A later sentence that breaks a figure down ("Unter den Todesopfern seien zwei Frauen") or
#: counts more victims ("Zwei weitere Todesopfer", "two more bodies"): not a claim of the event.
_NOT_THIS_COUNT = re.compile(
    r"\b(?:unter den|among the|among those|weitere|weiteren|further|another|more(?! than)|"
    r"additional)\b",
    re.IGNORECASE,
)


def casualty_claims(
    article: str, start: int, end: int, language: Language, names: frozenset[str]
) -> list[Claim]:
    """The claims of the evidence ``article[start:end]`` and of the sentence after it in its
    paragraph (module docstring)."""
    paragraph = paragraph_around(article, start, end)
    offset = article.find(paragraph, max(start - len(paragraph), 0)) if paragraph else start
    spans = [(offset + s, offset + e) for s, e in sentence_spans(paragraph)] if paragraph else []
    chosen = [(s, e) for s, e in spans if s <= start < e or (s >= end)][:3] or [(start, end)]
    claims: list[Claim] = []
    for s, e in chosen:
        sentence = article[s:e]
        claimant = (
            _claimant(_stated_by(sentence, language), names)
            or _claimant(reported_by(sentence, language, names), names)
            or _claimant(_stated_by(paragraph, language), names)
            or _claimant(reported_by(paragraph, language, names), names)
        )
        readings = sentence_claims(sentence, language) or _toll(sentence, language)
        if (s, e) != chosen[0] and _NOT_THIS_COUNT.search(sentence):
            # "three more died" adds to a count already claimed: not a claim of that kind;
            # "zwölf weitere ... verletzt" after a death toll is the first injured count
            told = {c.kind for c in claims}
            readings = [r for r in readings if r[0] not in told]
        for kind, low, high, approximate in readings:
            claims.append(Claim(kind, low, high, approximate, claimant, s, e))
    return claims


def with_claims(
    events: list[EventRecord], article: str, language: Language, names: frozenset[str]
) -> None:
    """Set each located event's casualty claims, and its ``fatalities``/``injured`` where the
    model left them empty (the lowest figure the claims state; module docstring)."""
    for event in events:
        span = event.evidence
        if span.start is None or span.end is None:
            continue
        claims = casualty_claims(article, span.start, span.end, language, names)
        event.casualty_claims = [
            CasualtyClaim(
                kind=c.kind,
                min=c.min,
                max=c.max,
                approximate=c.approximate,
                claimant=c.claimant,
                evidence=EvidenceSpan(text=article[c.start : c.end], start=c.start, end=c.end),
            )
            for c in claims
        ]
        for field, kind in (("fatalities", "killed"), ("injured", "injured")):
            lows = [
                f
                for c in claims
                if c.kind == kind and (f := _stated_figure(c, article, language)) is not None
            ]
            if getattr(event, field) is None and lows:
                setattr(event, field, min(lows))


def _stated_figure(claim: Claim, article: str, language: Language) -> int | None:
    """The figure a claim's sentence writes as a number: its ``min``, or the ``N`` of "more
    than N"; none for a vague word ("Dutzende" is not a count to report as 12)."""
    if claim.min is None:
        return None
    stated = claimed_values(article[claim.start : claim.end], language)
    for figure in (claim.min, claim.min - 1):
        if figure in stated:
            return figure
    return None
