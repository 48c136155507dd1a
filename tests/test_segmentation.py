"""Sentence segmentation: where a period ends a sentence and where it does not."""

from __future__ import annotations

import pytest

from summarizer.text.segmentation import sentences


@pytest.mark.parametrize(
    "text",
    [
        "Das hat der Bundesgerichtshof am Mittwoch entschieden (Az. VIII ZR 117/24).",
        "Ritsu Doan brachte die Gastgeber in der 23. Minute in Führung.",
        "Die Wahl findet am 13. September statt.",
        "Der Verein spielt in der 2. Liga.",
        "Das Gesetz kommt in der 2. Lesung nicht durch.",
        "Dr. Amara Okafor led the team at the U.S. Geological Survey.",
        "Der Fonds (Hrsg. Müller) erschien 2020 in der 3. Auflage.",
    ],
)
def test_a_period_inside_a_sentence_does_not_end_it(text: str) -> None:
    assert sentences(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Der Zug entgleiste. Drei Waggons sprangen aus den Schienen.", 2),
        ("Die Zahl stieg auf 23. Minuten später kam die Polizei.", 2),  # no ordinal noun
        ("Der Prozess begann 2023. Tag für Tag kamen Zuschauer.", 2),
        ("The vote was 51 to 49. The bill now goes to the House.", 2),
        ("„Wir werden kämpfen.“ Das sagte Krüger.", 2),
    ],
)
def test_a_sentence_ends_at_its_period(text: str, expected: int) -> None:
    assert len(sentences(text)) == expected
