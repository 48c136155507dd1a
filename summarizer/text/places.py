"""Place and country names of German and English reports, made comparable.

No geocoding service is reachable, so names are compared as written: case, diacritics and
punctuation folded ("Caravelí" = "Caraveli"), German and English exonyms of countries and of
the cities the news names most mapped to one key (:data:`EXONYMS`: "Charkiw" = "Kharkiv",
"Tiflis" = "Tbilisi", "Deutschland" = "Germany"), and transliteration variants made one
(:func:`skeleton`) within a similarity ratio of :data:`SAME_NAME` (rapidfuzz: "Terechow" ~
"Terekhov").
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from summarizer.text.transliteration import transliterated

#: Minimum similarity (0-100) of two folded names that are taken as one place.
SAME_NAME = 85.0

#: Exonym groups: German and English names of one country or city, English first.
_EXONYM_GROUPS = [
    "germany|deutschland",
    "austria|österreich",
    "switzerland|schweiz",
    "russia|russland",
    "ukraine",
    "georgia|georgien",
    "peru",
    "france|frankreich",
    "italy|italien",
    "spain|spanien",
    "poland|polen",
    "turkey|türkei|türkiye",
    "syria|syrien",
    "lebanon|libanon",
    "israel",
    "iran",
    "iraq|irak",
    "egypt|ägypten",
    "sudan",
    "south sudan|südsudan",
    "united states|usa|us|vereinigte staaten",
    "united kingdom|uk|großbritannien|britain",
    "china",
    "japan",
    "north korea|nordkorea",
    "south korea|südkorea",
    "belarus|weißrussland",
    "czech republic|tschechien",
    "kyiv|kiew|kiev",
    "kharkiv|charkiw|kharkov",
    "odesa|odessa",
    "lviv|lwiw|lemberg",
    "dnipro",
    "zaporizhzhia|saporischschja",
    "moscow|moskau",
    "tbilisi|tiflis",
    "munich|münchen",
    "cologne|köln",
    "vienna|wien",
    "warsaw|warschau",
    "prague|prag",
    "rome|rom",
    "brussels|brüssel",
    "geneva|genf",
    "zurich|zürich",
    "athens|athen",
    "jerusalem",
    "gaza",
    "beirut",
    "damascus|damaskus",
    "cairo|kairo",
    "khartoum|khartum",
    "bavaria|bayern",
    "saxony|sachsen",
    "lower saxony|niedersachsen",
    "hesse|hessen",
    "north rhine-westphalia|nordrhein-westfalen",
    "tyrol|tirol",
    "crimea|krim",
]


def fold(name: str) -> str:
    """Lower case, without diacritics ("ä" -> "a", "ß" -> "ss") or punctuation."""
    text = unicodedata.normalize("NFKD", name.casefold().replace("ß", "ss"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.findall(r"[a-z0-9]+", text))


#: Folded name -> the key of its exonym group (the group's first, English, name).
EXONYMS: dict[str, str] = {
    fold(name): fold(group.split("|")[0]) for group in _EXONYM_GROUPS for name in group.split("|")
}


def place_key(name: str | None) -> str | None:
    """The comparable form of a place or country name (None for none)."""
    if not name or not name.strip():
        return None
    folded = fold(name)
    return EXONYMS.get(folded, folded)


def skeleton(key: str) -> str:
    """``key`` with transliteration variants made one ("terechow", "terekhov" -> "terehov")."""
    return transliterated(key)


def same_place(a: str | None, b: str | None) -> bool:
    """Whether two place keys name one place (None matches nothing)."""
    if a is None or b is None:
        return False
    return a == b or fuzz.ratio(skeleton(a), skeleton(b)) >= SAME_NAME


def places_in(text: str) -> list[str]:
    """The exonym keys of the places and countries ``text`` names ("in Charkiw" -> kharkiv)."""
    folded = f" {fold(text)} "
    return list(dict.fromkeys(key for name, key in EXONYMS.items() if f" {name} " in folded))
