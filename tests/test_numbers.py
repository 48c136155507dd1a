"""The number reader (summarizer.text.numbers): values with decimals and scale, both languages."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.text.numbers import (
    claimed_values,
    stated_values,
    states_count,
    term_values,
    unstated,
)


def values(*numbers: float | int | str) -> frozenset[Decimal]:
    return frozenset(Decimal(str(n)) for n in numbers)


def test_digits_and_words_in_both_languages() -> None:
    text = "mindestens fünf Menschen, zwei Frauen, dreiundzwanzig Verletzte, 1.200 Soldaten"
    found = stated_values(text, "de")
    assert values(5, 2, 23, 1200) <= found
    assert values(7, 12).isdisjoint(found)
    assert values(2, 21, 3500) <= stated_values("two women and twenty-one men; 3,500 troops", "en")


def test_decimals_and_scale_words_are_part_of_the_value() -> None:
    assert claimed_values("1,2 Millionen", "de") == claimed_values("1.2 million", "en")
    assert claimed_values("1.2 million", "en") != claimed_values("1.9 million", "en")
    assert claimed_values("Stärke 6,8", "de") == values("6.8")  # not 6, not 68
    assert claimed_values("502 Milliarden Euro", "de") != claimed_values("502 Millionen", "de")
    # German "Billion" is 10^12, English "billion" 10^9.
    assert claimed_values("1,9 Billionen", "de") == values(1_900_000_000_000)
    assert claimed_values("1.9 billion", "en") == values(1_900_000_000)
    assert values(2000) <= stated_values("zweitausend Stellen", "de")


def test_years_dates_and_compounds() -> None:
    assert Decimal(3) not in stated_values("im Jahr 2013", "de")
    assert values(13, 9, 2024) <= stated_values("am 13.09.2024", "de")
    assert Decimal(12) in stated_values("ein zwölfjähriges Kind", "de")
    assert Decimal(12) in stated_values("a twelve-year-old boy", "en")


def test_the_indefinite_article_and_vague_amounts_are_not_claims() -> None:
    assert claimed_values("Ein Sprecher sagte, eine Frau sei verletzt.", "de") == frozenset()
    assert claimed_values("One of the officials spoke.", "en") == frozenset()
    assert claimed_values("1 Toter und zwei Verletzte", "de") == values(1, 2)
    assert claimed_values("damage worth millions", "en") == frozenset()
    assert claimed_values("zwei Millionen Euro", "de") == values(2_000_000)
    assert Decimal(1) in stated_values("Ein Toter", "de")  # what the article could be saying


def test_unstated_values_and_counts() -> None:
    article = (
        "Mindestens fünf Menschen starben, 1.200 Soldaten rückten aus, dreiundzwanzig Verletzte."
    )
    assert unstated(values(1200), article, "de") == []
    assert unstated(values(5, 23, 1200), article, "de") == []  # read from number words
    assert unstated(values(40, 5, 7), article, "de") == [Decimal(7), Decimal(40)]
    assert states_count(0, "Bei dem Unfall wurde niemand verletzt.", "de")
    assert not states_count(0, "Der Zug entgleiste am Morgen.", "de")
    assert states_count(5, "mindestens fünf Menschen getötet", "de")


def test_match_terms_that_are_numbers() -> None:
    assert term_values("23") == term_values("dreiundzwanzig") == term_values("twenty-three")
    assert term_values("502 Milliarden") == values(502_000_000_000)
    assert term_values("Drohne") is None


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.sampled_from(["Kim", "der", ",", ".", "\n", "Jahr", "Euro"]), max_size=30),
    claimed=st.lists(st.integers(0, 30), max_size=5),
    numerals=st.lists(st.sampled_from(["3", "12", "zwölf", "drei", "1.200", "zwanzig", "2,5"])),
)
def test_the_figures_first_shortcut_agrees_with_the_full_reading(
    words: list[str], claimed: list[int], numerals: list[str]
) -> None:
    """unstated() reads number words only when figures leave a claim open; same answer."""
    text = " ".join([*words, *numerals])
    wanted = values(*claimed)
    assert unstated(wanted, text, "de") == sorted(wanted - stated_values(text, "de"))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_the_reader_never_raises(text: str) -> None:
    assert isinstance(stated_values(text, "de"), frozenset)
    assert isinstance(claimed_values(text, "en"), frozenset)
