"""Does a summary's statement of a key fact *agree* with the fact, or only use its words?

A window of the summary that contains a fact's match terms covers the fact only when it also
agrees with the fact's gold sentence (in the output language) on:

* **polarity** - the number of negations (nicht, kein, nie, weder, not, no, never, n't, neither,
  nor, and denials and refusals: dementiert, bestritt, lehnte ab, denied, declined, "es stimmt
  nicht") has the same parity, counted in the clauses that name terms of more than half of the
  fact's match groups (a sentence is cut into clauses at ``;``, ``:``, ``,``, dashes and
  "which"/"was"/"wofür"/"but"/"aber"...: "power is not affected" in another clause of the same
  sentence is not this fact's negation);
* **figures** - a number that the window binds to a word (the next content word: "fünf
  Menschen", "2 injured", "13. September") that the gold sentence binds to another number, and
  that the gold sentence does not state at all: "zwei Menschen getötet" for "fünf Menschen
  getötet";
* **ordered pairs** - a result or a vote ("2:1", "389 zu 281", "51 to 49") that the gold
  sentence states the other way round;
* **weekdays** - a weekday the window names that the gold sentence does not, where the gold
  sentence names one;
* **roles** - two names of the gold sentence that the window names in the opposite order, or
  another name of the story where the gold sentence's first name should be, where neither
  sentence is passive ("von", "durch", "by", "wurde", "was", "were"): "Schoigu sicherte Kim
  zu" for "Kim sicherte Schoigu zu", "Albers beschloss den Haushalt" for "Der Bundestag
  beschloss den Haushalt".

A fact is contradicted when some windows name its terms and none of them agrees (counted and
listed). The rules are checked on the 16 seeds: every gold reference summary agrees with every
key fact it states (the oracle scores coverage 1.0 and no contradiction), and each degenerate
rewrite of the reference that breaks one of them is caught (``tests/test_degenerate.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from summarizer.datamodel.types import Language
from summarizer.text.lexicon import FUNCTION_WORDS, fold_token, lemma, same_name_token
from summarizer.text.numbers import term_values

_TOKEN = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*|n't", re.IGNORECASE)
_NEGATIONS = frozenset((
    "nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals",
    "nirgends", "weder", "nichts", "not", "no", "never", "neither", "nor", "nothing", "none",
    "n't", "cannot", "dementiert", "dementierte", "dementierten", "bestritt", "bestritten",
    "bestreitet", "bestreiten", "denied", "denies", "deny", "denying", "rejected", "declined",
    "declines", "refused", "refuses", "lehnte", "lehnt", "abgelehnt", "weigerte", "weigert",
    "verweigerte",
))  # fmt: skip
_NOT_A_FACT = re.compile(r"\b(?:es stimmt nicht|stimmt nicht|is not true|isn't true)\b", re.I)
_WEEKDAYS = {
    "montag": 1, "dienstag": 2, "mittwoch": 3, "donnerstag": 4, "freitag": 5, "samstag": 6,
    "sonnabend": 6, "sonntag": 7, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4,
    "friday": 5, "saturday": 6, "sunday": 7,
}  # fmt: skip
_PASSIVE = frozenset({"von", "vom", "durch", "by", "wurde", "wurden", "was", "were"})
_CLAUSE_BREAK = re.compile(
    r"[;:,()–—]|\s-\s|\b(?:which|who|while|whereas|but|although|was|wofür|wobei|während|"
    r"aber|doch|jedoch|obwohl|sondern|weil|because)\b",
    re.IGNORECASE,
)
#: How far after a number the word it counts may stand ("fünf weitere Menschen").
BIND_WINDOW = 2


def tokens(text: str) -> list[str]:
    return [t.casefold() for t in _TOKEN.findall(text.replace("n’t", "n't"))]


def negations(text: str) -> int:
    """How many negations ``text`` states (a denial "es stimmt nicht" counts once more)."""
    words = tokens(text)
    count = sum(w in _NEGATIONS or w.endswith("n't") for w in words)
    return count + len(_NOT_A_FACT.findall(text))


@lru_cache(maxsize=16384)
def _values(token: str) -> frozenset[str] | None:
    """The values a token names, when it is a number (digits or number words)."""
    found = term_values(token.rstrip("."))
    return frozenset(str(v.normalize()) for v in found) if found else None


def _is_number(token: str) -> bool:
    return _values(token) is not None


def bound_numbers(text: str, language: Language) -> dict[str, frozenset[str]]:
    """``{lemma of the counted word: the numbers bound to it}``: each number token with the
    next content word within :data:`BIND_WINDOW` tokens."""
    words = tokens(text)
    bound: dict[str, set[str]] = {}
    for index, word in enumerate(words):
        values = _values(word)
        if not values:
            continue
        for after in words[index + 1 : index + 1 + BIND_WINDOW]:
            if after in FUNCTION_WORDS or _is_number(after):
                continue
            bound.setdefault(lemma(after, language), set()).update(values)
            break
    return {key: frozenset(values) for key, values in bound.items()}


def clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_BREAK.split(text) if c.strip()]


def _fact_clauses(text: str, relevant: Callable[[str], bool]) -> str:
    """The clauses of ``text`` that name the fact's terms (all of it when none does alone)."""
    return " ".join(c for c in clauses(text) if relevant(c)) or text


_PAIR = re.compile(r"(?<![\d.,])(\d+)\s*(?::|-|–|zu|to)\s*(\d+)(?![\d.,]\d)", re.IGNORECASE)


def ordered_pairs(text: str) -> set[tuple[str, str]]:
    """Results and votes: "2:1", "389 zu 281", "51 to 49"."""
    return {(m[1], m[2]) for m in _PAIR.finditer(text)}


def weekdays(text: str) -> frozenset[int]:
    return frozenset(_WEEKDAYS[w] for w in tokens(text) if w in _WEEKDAYS)


def _name_order(text: str, names: list[str]) -> list[str]:
    """The names (folded name tokens) in the order ``text`` names them, inflected or possessive
    ("Putins", "Putin's") included; a name it names twice has no one place and is left out
    (a dateline "Rheinfeld - ... die Stadtwerke Rheinfeld")."""
    seen: list[str] = []
    for word in tokens(text):
        folded = fold_token(re.sub(r"['’]s$", "", word))
        found = next((n for n in names if same_name_token(folded, n)), None)
        if found is not None:
            seen.append(found)
    return [name for name in dict.fromkeys(seen) if seen.count(name) == 1]


def _passive(text: str) -> bool:
    return any(w in _PASSIVE for w in tokens(text))


@dataclass(frozen=True)
class Disagreement:
    """Why a window that names a fact's terms does not state the fact."""

    rule: str  # polarity | figures | weekday | roles
    detail: str


def disagreement(
    window: str,
    gold: str,
    language: Language,
    names: frozenset[str],
    relevant: Callable[[str], bool] = lambda _: True,
) -> Disagreement | None:
    """The first way ``window`` disagrees with the gold sentence ``gold`` (both in
    ``language``), or None when it agrees. ``names``: folded name tokens of the article;
    ``relevant``: whether a clause names one of the fact's terms."""
    mine_part, gold_part = _fact_clauses(window, relevant), _fact_clauses(gold, relevant)
    if negations(mine_part) % 2 != negations(gold_part) % 2:
        return Disagreement("polarity", "negated where the fact is not (or the reverse)")
    mine, theirs = bound_numbers(window, language), bound_numbers(gold, language)
    stated = {v for token in tokens(gold) for v in (_values(token) or ())}
    for word, values in mine.items():
        expected = theirs.get(word)
        if expected and not values & expected and not values & stated:
            return Disagreement(
                "figures", f"{'/'.join(sorted(values))} {word} (the fact: {'/'.join(expected)})"
            )
    gold_pairs = ordered_pairs(gold)
    for first, second in ordered_pairs(window):
        if (second, first) in gold_pairs and (first, second) not in gold_pairs:
            return Disagreement("figures", f"{first}:{second} for {second}:{first}")
    gold_days, my_days = weekdays(gold), weekdays(window)
    if gold_days and my_days and not my_days <= gold_days:
        return Disagreement("weekday", "another weekday than the fact's")
    if not (_passive(window) or _passive(gold)):
        in_gold = _name_order(gold_part, sorted(names))
        in_window = _name_order(mine_part, sorted(names))
        shared = [n for n in in_gold if n in in_window]
        if len(shared) >= 2 and _name_order(mine_part, shared) != shared:
            return Disagreement("roles", f"{' / '.join(shared)} in another order")
        if in_gold and in_window and in_gold[0] not in in_window and in_window[0] not in in_gold:
            return Disagreement("roles", f"{in_window[0]} where the fact has {in_gold[0]}")
    return None
