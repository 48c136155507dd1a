"""Consolidated events in ACLED's layout (the CSV of ``events export -f acled-csv``).

**ACLED layout**: ACLED's 31 columns in ACLED's order (``ACLED_COLUMNS``). What a news report
cannot tell stays empty, never guessed: ``admin3``, ``source_scale``, ``tags``, and the place
fields the offline gazetteer (:mod:`summarizer.text.gazetteer`) cannot fill; ``assoc_actor_*``
are empty too (our records do not tell associated actors apart). ``timestamp`` is the export's
Unix time.

**Crosswalk** (our event type and what its reports say -> ACLED ``disorder_type`` /
``event_type`` / ``sub_event_type``). ACLED codes political violence, demonstrations and
strategic developments only; other types (meeting, statement, economic, political, disaster,
accident, cyberattack, other) and threats ("bomb threat", „Bombendrohung": nothing happened)
are left out of the CSV (the command says how many):

==============  ====================================  =====================================
ours            what the reports say                  ACLED
==============  ====================================  =====================================
attack          suicide bomber, Selbstmordattentat    PV / Explosions/Remote violence /
                                                      Suicide bomb
attack          shelling, artillery, missile,         PV / Explosions/Remote violence /
                rocket, Beschuss, Rakete              Shelling/artillery/missile attack
attack          drone, air strike, Luftangriff        PV / Explosions/Remote violence /
                                                      Air/drone strike
attack          bomb, IED, explosive, car bomb,       PV / Explosions/Remote violence /
                Sprengsatz, Autobombe                 Remote explosive/landmine/IED
attack          grenade, Granate                      PV / Explosions/Remote violence /
                                                      Grenade
attack          soldiers, troops, police officers     PV / Battles / Armed clash
                as targets
attack          anything else                         PV / Violence against civilians /
                                                      Attack
armed_clash                                           PV / Battles / Armed clash
protest         riot, looting, Krawalle, Randale      Demonstrations / Riots / Violent
                                                      demonstration
protest         killed claimed (force used on         PV; Demonstrations / Protests /
                protesters)                           Excessive force against protesters
protest         arrests claimed, tear gas, water      Demonstrations / Protests / Protest
                cannon, Tränengas                     with intervention
protest         anything else                         Demonstrations / Protests / Peaceful
                                                      protest
agreement                                             SD / Strategic developments /
                                                      Agreement
legal           arrests claimed                       SD / Strategic developments / Arrests
legal           anything else                         SD / Strategic developments / Other
==============  ====================================  =====================================

(PV: Political violence; SD: Strategic developments.) ``inter1``/``inter2`` take ACLED's actor
codes where an actor's words say which kind it is (1 state forces, 5 rioters, 6 protesters,
7 civilians), else stay empty, and ``interaction`` is the two codes' pair (lower first) when
both are known; ``civilian_targeting`` is "Civilian targeting" for violence against civilians
or targets named as civilians. ``time_precision`` follows ACLED's codes (1 day, 2 week, 3
month; a date that is only the publication day is 2); ``iso``, ``region``, ``admin1``,
``admin2``, ``latitude``, ``longitude`` and ``geo_precision`` are the gazetteer's (1 a town in
the named country, 2 the dominant town of a name without a country, 3 a first-level region, no
coordinates; empty where it knows no place); ``fatalities`` is the lowest killed figure any
source claims (ACLED's conservative rule), 0 when none is claimed; ``location`` and
``country`` are the names in English as the gazetteer has them (else as the reports write
them, English reports first); ``source`` lists the reporting articles;
``notes`` is the first English report's description (else the first's) with the range of
figures.
"""

from __future__ import annotations

import re
from typing import Any

from summarizer.dataset.consolidate import Consolidated

ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]

TIME_PRECISION = {"day": 1, "week": 2, "published": 2, "month": 3}
#: What the reports say, by ACLED sub-event type (module docstring), in the order tried.
_SUB_EVENTS: list[tuple[str, str, re.Pattern[str]]] = [
    (
        "Explosions/Remote violence",
        "Suicide bomb",
        re.compile(r"suicide (?:bomb|attack|car)|selbstmord(?:attentat|anschlag|attentäter)", re.I),
    ),
    (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        re.compile(r"shell(?:ing|ed|s)\b|artiller|missile|rocket|beschuss|beschoss|rakete", re.I),
    ),
    (
        "Explosions/Remote violence",
        "Air/drone strike",
        re.compile(r"drohne|drone|luftangriff|air ?strike|airstrike|kampfjet|warplane", re.I),
    ),
    (
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        re.compile(r"\bbomb|\bied\b|explosive|landmine|sprengsatz|autobombe|bombe\b|mine\b", re.I),
    ),
    ("Explosions/Remote violence", "Grenade", re.compile(r"grenade|granate", re.I)),
]
_THREAT = re.compile(
    r"\bbomb threat|\bthreat(?:s|ened)? to\b|bombendrohung|drohschreiben|drohte(?:n)? mit", re.I
)
_ARMED = re.compile(
    r"soldier|troops|servicem[ae]n|police officer|policem[ae]n|officers|soldat|truppen|"
    r"polizist|streitkr|armee|army|military|militär|\bpolice\b|\bpolizei\b",
    re.IGNORECASE,
)
_RIOT = re.compile(r"\briot|loot|rampag|krawall|ausschreitung|randal|plünder", re.IGNORECASE)
_INTERVENTION = re.compile(
    r"tear ?gas|water cannon|rubber bullet|dispers|tränengas|wasserwerfer|gummigeschoss|aufgelöst",
    re.IGNORECASE,
)
_CIVILIANS = re.compile(
    r"civilian|resident|passer|children|women|zivilist|anwohner|bewohner|kinder|frauen", re.I
)
#: ACLED's actor codes, by the words of an actor's name (the rest stay unknown).
_INTER: list[tuple[int, re.Pattern[str]]] = [
    (1, _ARMED),
    (5, re.compile(r"rioter|randalierer|krawallmacher", re.IGNORECASE)),
    (6, re.compile(r"protester|demonstrator|demonstrant|protestierende", re.IGNORECASE)),
    (7, _CIVILIANS),
]
DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}


def claimed(event: Consolidated, kind: str) -> bool:
    figures = event.figures.get(kind) or {}
    return bool(figures.get("claims"))


def _text(event: Consolidated) -> str:
    return " ".join(str(m.get("description", "")) for m in event.mentions)


def acled_type(event: Consolidated) -> tuple[str, str] | None:
    """ACLED's (event_type, sub_event_type) of ``event``, or None (module docstring)."""
    kind, text = event.event_type, _text(event)
    if kind == "attack":
        if _THREAT.search(text) and not claimed(event, "killed") and not claimed(event, "injured"):
            return None
        for event_type, sub_event, words in _SUB_EVENTS:
            if words.search(text):
                return event_type, sub_event
        if any(_ARMED.search(t) for t in event.targets):
            return "Battles", "Armed clash"
        return "Violence against civilians", "Attack"
    if kind == "armed_clash":
        return "Battles", "Armed clash"
    if kind == "protest":
        if _RIOT.search(text):
            return "Riots", "Violent demonstration"
        if claimed(event, "killed"):
            return "Protests", "Excessive force against protesters"
        if claimed(event, "arrested") or _INTERVENTION.search(text):
            return "Protests", "Protest with intervention"
        return "Protests", "Peaceful protest"
    if kind == "agreement":
        return "Strategic developments", "Agreement"
    if kind == "legal":
        return "Strategic developments", "Arrests" if claimed(event, "arrested") else "Other"
    return None


def _geo(event: Consolidated, name: str) -> Any:
    """The gazetteer's ``name`` field of ``event``, "" where it cannot tell."""
    value = event.geo.get(name)
    return "" if value is None else value


def disorder_type(event_type: str, sub_event: str) -> str:
    if sub_event == "Excessive force against protesters":
        return "Political violence; Demonstrations"
    return DISORDER[event_type]


def inter_code(actor: str) -> int | None:
    """ACLED's actor code of ``actor`` where its words say it (module docstring)."""
    return next((code for code, words in _INTER if words.search(actor)), None)


def _fatalities(event: Consolidated) -> int:
    low = (event.figures.get("killed") or {}).get("min")
    return int(low) if isinstance(low, int) else 0


def acled_rows(
    events: list[Consolidated], timestamp: int | None = None
) -> tuple[list[dict[str, Any]], int]:
    """The ACLED-layout rows, and how many events have no ACLED type."""
    import time

    stamp = int(time.time()) if timestamp is None else timestamp
    rows, skipped = [], 0
    for event in events:
        kinds = acled_type(event)
        if kinds is None or event.date is None:
            skipped += 1
            continue
        figures = "; ".join(
            f"{kind} {f.get('min')}-{f.get('max')}"
            + (" (sources disagree)" if f.get("disagree") else "")
            for kind, f in event.figures.items()
        )
        english = [m for m in event.mentions if m.get("language") == "en"]
        first = (english or event.mentions or [{}])[0]
        actor1 = event.actors[0] if event.actors else ""
        actor2 = event.targets[0] if event.targets else ""
        inter1 = inter_code(actor1) if actor1 else None
        inter2 = inter_code(actor2) if actor2 else None
        civilians = kinds[0] == "Violence against civilians" or any(
            _CIVILIANS.search(t) for t in event.targets
        )
        rows.append(
            {
                "event_id_cnty": event.id,
                "event_date": event.date,
                "year": int(event.date[:4]),
                "time_precision": TIME_PRECISION.get(event.date_precision or "published", 2),
                "disorder_type": disorder_type(*kinds),
                "event_type": kinds[0],
                "sub_event_type": kinds[1],
                "actor1": actor1,
                "assoc_actor_1": "",
                "inter1": inter1 if inter1 is not None else "",
                "actor2": actor2,
                "assoc_actor_2": "",
                "inter2": inter2 if inter2 is not None else "",
                "interaction": (
                    int("".join(str(c) for c in sorted((inter1, inter2))))
                    if inter1 is not None and inter2 is not None
                    else ""
                ),
                "civilian_targeting": "Civilian targeting" if civilians else "",
                "iso": _geo(event, "iso"),
                "region": _geo(event, "region"),
                "country": _geo(event, "country") or event.country_name or "",
                "admin1": _geo(event, "admin1"),
                "admin2": _geo(event, "admin2"),
                "admin3": "",
                "location": _geo(event, "location") or event.place_name or "",
                "latitude": _geo(event, "latitude"),
                "longitude": _geo(event, "longitude"),
                "geo_precision": _geo(event, "geo_precision"),
                "source": "; ".join(sorted({str(m["article"]) for m in event.mentions})),
                "source_scale": "",
                "notes": f"{first.get('description', '')} [{figures}]"
                if figures
                else str(first.get("description", "")),
                "fatalities": _fatalities(event),
                "tags": "",
                "timestamp": stamp,
            }
        )
    return rows, skipped
