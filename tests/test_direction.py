"""Which way a sentence says something went, and a claim that reverses its passage."""

from __future__ import annotations

from summarizer.text.direction import directions, reverses


def test_directions_in_english_and_german() -> None:
    assert directions("Der Betriebsgewinn sank um 41 Prozent") == {"down"}
    assert directions("Gewinn bricht ein") == {"down"}
    assert directions("Der Umsatz stieg, die Kosten gingen zurück") == {"up", "down"}
    assert directions("Operating profit rose 41 percent") == {"up"}
    assert directions("The euro fell 0.4 percent") == {"down"}
    # words that mean something else, or nothing directional
    for neutral in (
        "In diesem Fall entschied das Gericht",
        "Flooding in Lower Bavaria",
        "The company declined to comment",
        "A surgery was postponed",
        "Kim traf Schoigu in Pjöngjang",
    ):
        assert directions(neutral) == frozenset(), neutral


def test_a_claim_that_reverses_its_passage() -> None:
    # the embedded model's headline for "Autobauer Velmar streicht zweitausend Stellen - Gewinn
    # bricht ein"
    assert reverses("Velmar's carmaker cuts 2,000 jobs - profit rises", "Gewinn bricht ein")
    assert not reverses("Velmar cuts 2,000 jobs as profit slumps", "Gewinn bricht ein")
    # a passage that states no direction leaves nothing to compare
    assert not reverses("Profit rose to 1.9 billion euros", "Der Gewinn: 1,9 Milliarden Euro")
    # a claim that states none reverses nothing
    assert not reverses("Velmar reported its quarterly results", "Der Gewinn sank")
