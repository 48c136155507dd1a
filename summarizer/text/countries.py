"""Countries named in a text, in English or German: ISO codes from names, runs of capitalized
words, and the adjectives and compounds built on a country's name.

Names are ``pycountry``'s (English, its German ISO 3166-1 translations, common and official
names) and the exonym groups of :mod:`summarizer.text.places` ("Nordkorea", "North Korea").
"""

from __future__ import annotations

import gettext
import re
from functools import cache, lru_cache
from itertools import pairwise

from summarizer.text.places import EXONYMS, fold, place_key


@cache
def _countries() -> dict[str, str]:
    """Folded country name (English, German, ISO codes, our exonym keys) -> ISO alpha-2."""
    import pycountry

    german = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"])
    names: dict[str, str] = {}
    for country in pycountry.countries:
        spellings = [country.name, country.alpha_3, german.gettext(country.name)]
        spellings += [getattr(country, a, None) for a in ("common_name", "official_name")]
        for spelling in filter(None, spellings):
            names.setdefault(fold(spelling), country.alpha_2)
    for extra, code in (("united states", "US"), ("united kingdom", "GB"), ("russia", "RU")):
        names[extra] = code
    return names


def known_country(key: str) -> bool:
    """True when the folded ``key`` is a country's name or ISO code."""
    return key in _countries()


def country_code(name: str | None) -> str | None:
    """The ISO alpha-2 code of a country name in English or German ("Georgien" -> "GE")."""
    key = place_key(name)
    if key is None:
        return None
    return _countries().get(key) or _countries().get(fold(name or ""))


#: A capitalized word (a name's word); dotted abbreviations are joined first ("U.S." -> "US").
_NAME_WORD = re.compile(r"[A-ZÄÖÜ][\w'’-]*")
_DOTTED = re.compile(r"\b([A-Z])\.(?=[A-Z]\b\.?)")
#: Words of a country name at most ("Democratic Republic of the Congo" is named shorter).
_COUNTRY_WORDS = 3


@lru_cache(maxsize=64)
def countries_in(text: str, genitives: bool = True) -> frozenset[str]:
    """The ISO alpha-2 codes of the countries ``text`` names, in English or German, by runs of
    capitalized words ("South Korea", "Russlands"; not adjectives: "Russian", "nordkoreanisch");
    with ``genitives`` False, not by a name in the genitive ("Russlands", "Russia's")."""
    joined = _DOTTED.sub(r"\1", text)
    words = [(m.start(), m.end()) for m in _NAME_WORD.finditer(joined)]
    found: set[str] = set()
    for i in range(len(words)):
        for n in range(1, _COUNTRY_WORDS + 1):
            run = words[i : i + n]
            if len(run) < n or any(b[0] - a[1] > 1 for a, b in pairwise(run)):
                break
            name = joined[run[0][0] : run[-1][1]]
            if not genitives and name.endswith(("'s", "’s")):
                continue
            code = country_code(name)
            if code is None and genitives and name.endswith("s"):
                code = country_code(name[:-1])
            if code:
                found.add(code)
    return frozenset(found)


#: The shortest stem a country name is recognized by in an adjective or compound.
_MIN_STEM = 4
#: Adjective stems not built on a name of the country ("französisch", "British", "Dutch").
_IRREGULAR_STEMS = {
    "FR": ("franzos", "french"),
    "GB": ("brit",),
    "US": ("us", "american", "amerikan"),
    "NL": ("dutch", "hollan"),
    "CH": ("swiss",),
}


def countries_left_out(original: str, translation: str) -> frozenset[str]:
    """The ISO alpha-2 codes of the countries ``original`` names that ``translation`` neither
    names nor refers to by a word built on one of their names, in either language ("Russian",
    "russisch", "nordkoreanisch", "US-Senat" refer to Russia, North Korea, the United States;
    "in the region of Poland" leaves out nothing but names Poland - see :func:`countries_in`)."""
    missing = countries_in(original) - countries_in(translation)
    if not missing:
        return frozenset()
    folded = f" {fold(translation)}"
    return frozenset(
        code
        for code in missing
        if not any(f" {stem}" in folded for stem in _country_stems().get(code, ()))
    )


def countries_made_adjectives(original: str, translation: str) -> frozenset[str]:
    """The ISO alpha-2 codes of the countries ``original`` names by their name, not in the
    genitive, that ``translation`` does not name (alone or as a compound's first part:
    "US-Senat"): referred to by an adjective at most, the country is no longer the one acting or
    acted upon ("Kim hat Russland ... Unterstützung zugesichert" translated "Kim assured Russian
    media ... support to Ukraine"). A genitive may become an adjective: "Nordkoreas Machthaber",
    "the North Korean leader"."""
    return countries_in(original, genitives=False) - countries_in(translation.replace("-", " "))


def countries_changed(original: str, translation: str) -> bool:
    """True when ``translation`` (of ``original``) leaves out a country ``original`` names or
    refers to, or names by an adjective only a country ``original`` names ("assured Russian
    media ... support to Ukraine" for "hat Russland ... Unterstützung zugesichert")."""
    return bool(
        countries_left_out(original, translation)
        or countries_made_adjectives(original, translation)
    )


@cache
def _country_stems() -> dict[str, tuple[str, ...]]:
    """ISO alpha-2 -> the stems of its names in English and German, folded ("russ" of
    "Russland", "russi" of "Russia", "german" of "Germany"; and :data:`_IRREGULAR_STEMS`)."""
    stems: dict[str, set[str]] = {}
    exonyms = [(name, _countries().get(key)) for name, key in EXONYMS.items()]
    for name, code in [*_countries().items(), *((n, c) for n, c in exonyms if c)]:
        if len(name) <= 3:  # an ISO code: "usa", "rus"
            continue
        stem = name[:-4] if name.endswith("land") and len(name) > 6 else name.rstrip("aeiouy")
        stems.setdefault(code, set()).add(stem if len(stem) >= _MIN_STEM else name)
    for code, irregular in _IRREGULAR_STEMS.items():
        stems.setdefault(code, set()).update(irregular)
    return {code: tuple(sorted(found)) for code, found in stems.items()}
