"""German and English spellings of one name made one: "Schoigu"/"Shoigu", "Charkiw"/"Kharkiv",
"Selenskyj"/"Zelensky", "Terechow"/"Terekhov".

The two languages transliterate the same Cyrillic (or Georgian, Arabic) letters differently;
:func:`transliterated` maps both spellings of a case-folded name to one skeleton. Used for name
tokens (:func:`summarizer.text.lexicon.fold_token`) and place names
(:mod:`summarizer.text.places`): one table, so a name and a place compare alike.
"""

from __future__ import annotations

import re

#: (German or English spelling, common skeleton), applied in this order: longer groups first
#: ("dsch" before "sch", "tsch" before "ch"), so each letter group is read once. German "ch" is
#: English "kh" (Charkiw/Kharkiv, Michail/Mikhail); both stay "kh", not "h", so that a word
#: with "ch" does not become another with "h" ("China" is not the agency "Hina").
TRANSLITERATIONS = (
    ("dsch", "j"), ("tsch", "ch"), ("shch", "sh"), ("sch", "sh"), ("ch", "kh"), ("zh", "z"),
    ("ts", "z"), ("tz", "z"), ("ck", "k"), ("ph", "f"), ("ß", "ss"), ("w", "v"), ("j", "y"),
    ("z", "s"),
)  # fmt: skip
_DOUBLED = re.compile(r"(.)\1+")


def transliterated(folded: str) -> str:
    """``folded`` (case-folded) with transliteration variants made one, and doubled letters
    single ("Selenskyy" / "Selensky")."""
    for variant, common in TRANSLITERATIONS:
        folded = folded.replace(variant, common)
    return _DOUBLED.sub(r"\1", folded)
