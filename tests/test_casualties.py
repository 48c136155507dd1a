"""Casualty claims read from the text: ranges from their qualifiers, claimants, and the
convenience figures of an event."""

from __future__ import annotations

import pytest

from summarizer.datamodel.schemas import CasualtyKind, EventRecord, EvidenceSpan
from summarizer.grounding.casualties import casualty_claims, sentence_claims, with_claims
from summarizer.text.lexicon import article_names

K, HURT, M, D, A = (
    CasualtyKind.killed,
    CasualtyKind.injured,
    CasualtyKind.missing,
    CasualtyKind.displaced,
    CasualtyKind.arrested,
)


@pytest.mark.parametrize(
    ("sentence", "language", "claims"),
    [
        ("Mindestens fünf Menschen wurden getötet.", "de", [(K, 5, None, False)]),
        (
            "Mindestens fünf Tote und zwölf Verletzte.",
            "de",
            [(K, 5, None, False), (HURT, 12, 12, False)],
        ),
        ("five killed", "en", [(K, 5, 5, False)]),
        ("six dead, officials say", "en", [(K, 6, 6, False)]),
        ("More than 200 people were injured.", "en", [(HURT, 200, None, False)]),
        ("Über 200 Menschen wurden verletzt.", "de", [(HURT, 200, None, False)]),
        ("Up to 3,000 people were displaced.", "en", [(D, None, 3000, False)]),
        ("Zwischen 10 und 12 Menschen werden vermisst.", "de", [(M, 10, 12, False)]),
        ("10 bis 12 Menschen starben.", "de", [(K, 10, 12, False)]),
        ("Rund 50 Menschen wurden festgenommen.", "de", [(A, 50, 50, True)]),
        ("Dozens were killed in the strike.", "en", [(K, 12, None, True)]),  # ACLED: 12
        ("Hunderte wurden verletzt.", "de", [(HURT, 100, None, True)]),  # ACLED: 100
        # Breakdowns of a total are no claims of their own.
        ("Two of the dead were children.", "en", []),
        ("Zwei der Toten waren Kinder.", "de", []),
        ("Among the dead were three children.", "en", []),
        ("Unter den Toten sind drei Kinder.", "de", []),
        (
            "Bei dem Angriff wurden 14 Menschen getötet, darunter zwei Kinder.",
            "de",
            [(K, 14, 14, False)],
        ),
        ("Five people were killed, including two children.", "en", [(K, 5, 5, False)]),
        (
            "Drei Menschen starben, 25 wurden verletzt.",
            "de",
            [(K, 3, 3, False), (HURT, 25, 25, False)],
        ),
        (
            "Police said three people died; the district office spoke of five dead.",
            "en",
            [(K, 3, 3, False), (K, 5, 5, False)],  # disagreeing figures are both kept
        ),
        ("A third man died in hospital.", "en", []),  # an ordinal is no count
        ("Die Zahl der Toten stieg auf 10.", "de", [(K, 10, 10, False)]),
        ("The ministry met on 12 March.", "en", []),  # no casualty word: no claim
    ],
)
def test_ranges_from_the_words_around_the_figure(
    sentence: str, language: str, claims: list
) -> None:
    assert sentence_claims(sentence, language) == claims  # type: ignore[arg-type]


def test_claims_of_an_event_with_claimant_and_evidence(article: str) -> None:
    start = article.index("Im Norden der Ukraine")
    end = article.index("getötet.", start) + len("getötet")
    names = article_names(article, "de")
    claims = casualty_claims(article, start, end, "de", names)
    killed = [c for c in claims if c.kind is K]
    assert [(c.min, c.max) for c in killed] == [(5, None)]
    assert killed[0].claimant == "Behörden"  # "nach Behördenangaben"
    assert article[killed[0].start : killed[0].end].startswith("Im Norden der Ukraine")
    event = EventRecord(
        event_type="attack",
        description="Russischer Drohnenangriff im Norden der Ukraine.",
        evidence=EvidenceSpan(text=article[start:end], start=start, end=end),
    )
    with_claims([event], article, "de", names)
    assert event.fatalities == 5  # the lowest figure, where the model gave none
    assert event.casualty_claims[0].evidence.text == article[killed[0].start : killed[0].end]
    event.fatalities = 7
    with_claims([event], article, "de", names)
    assert event.fatalities == 7  # the model's (checked) figure stays


def test_a_vague_or_open_claim_gives_the_figure_the_text_states() -> None:
    article = (
        "The army said its troops had repelled an assault and that dozens of fighters were "
        "killed.\n\nIn a second attack, more than 200 people were killed, officials said."
    )
    names = article_names(article, "en")
    events = []
    for sentence in article.split("\n\n"):
        start = article.index(sentence)
        events.append(
            EventRecord(
                event_type="attack",
                description="An attack.",
                evidence=EvidenceSpan(text=sentence, start=start, end=start + len(sentence)),
            )
        )
    with_claims(events, article, "en", names)
    assert [(c.min, c.approximate) for c in events[0].casualty_claims] == [(12, True)]
    assert events[0].fatalities is None  # "dozens" is not a count to report
    assert [c.min for c in events[1].casualty_claims] == [200]  # ACLED codes "more than 200"
    assert events[1].fatalities == 200  # ... as 200: the claim and the record agree


def test_the_claimant_is_the_office_that_made_the_statement_not_its_country() -> None:
    sentence = (
        "A Russian missile strike on Odesa killed 12 people, Ukraine's interior minister said "
        "on Monday."
    )
    claims = casualty_claims(sentence, 0, len(sentence), "en", article_names(sentence, "en"))
    assert [(c.min, c.claimant) for c in claims] == [(12, "Ukraine's interior minister")]


def test_a_further_count_of_another_kind_is_a_claim_a_further_count_of_the_same_is_not() -> None:
    article = (
        "Bei einem Angriff auf Charkiw sind mindestens fünf Menschen getötet worden. "
        "Zwölf weitere Bewohner wurden verletzt, darunter zwei Kinder. "
        "Drei weitere Menschen starben im Krankenhaus."
    )
    end = article.index("worden.") + len("worden.")
    claims = casualty_claims(article, 0, end, "de", article_names(article, "de"))
    assert [(c.kind.value, c.min, c.max) for c in claims] == [
        ("killed", 5, None),
        ("injured", 12, 12),  # the first injured count, "darunter zwei Kinder" no claim
    ]
