"""The checks every provider's records pass (issue 23): each mistake the embedded model made
on the reference article, made by a fake reply, is caught - a figure of the wrong kind, a
type against its trigger words, a description its evidence does not state, a time that is not
one, a term in quotation marks as a quote, a country or a role word as a source - and the rules
of the guided pipeline read the reference article right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from summarizer.datamodel.issues import IssueKind
from summarizer.grounding.context import GroundingRun
from summarizer.grounding.responses import EventList, SummaryDraft
from summarizer.pipeline.rule_records import event_candidates, rule_quotes, rule_sources
from summarizer.text.lexicon import article_names
from summarizer.text.times import event_time

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (ROOT / "seeds" / "000_nordkorea_moskau_de.txt").read_text(encoding="utf-8")
DRONE = (
    "Im Norden der Ukraine wurden nach Behördenangaben bei einem russischen Drohnenangriff "
    "mindestens fünf Menschen getötet."
)
MEETING = (
    "Kim habe bei einem Treffen mit dem Sekretär des Nationalen Sicherheitsrats Russlands, "
    "Sergej Schoigu, in Pjöngjang zudem „die Erwartung und Überzeugung“ geäußert"
)


def _context(language: str = "de") -> tuple[dict[str, Any], GroundingRun]:
    run = GroundingRun(max_attempts=1, attempts=1)  # the last reply: repaired, not re-asked
    return {"article": ARTICLE, "run": run, "language": "de", "output_language": language}, run


def _event(**fields: Any) -> dict[str, Any]:
    event = {
        "event_type": "attack",
        "description": "Bei einem russischen Drohnenangriff wurden fünf Menschen getötet.",
        "evidence": {"text": DRONE},
    }
    return {**event, **fields}


def _kinds(run: GroundingRun) -> dict[str, set[IssueKind]]:
    found: dict[str, set[IssueKind]] = {}
    for issue in run.issues:
        found.setdefault(issue.where or "", set()).add(issue.kind)
    return found


def test_a_killed_figure_given_as_injured_is_cleared_and_flagged() -> None:
    context, run = _context()
    reply = EventList.model_validate({"events": [_event(fatalities=5, injured=5)]}, context=context)
    [event] = reply.events
    assert event.fatalities == 5
    assert event.injured is None
    assert IssueKind.wrong_kind in _kinds(run)["events[0].injured"]


def test_a_figure_the_evidence_does_not_state_is_cleared() -> None:
    context, run = _context()
    [event] = EventList.model_validate({"events": [_event(fatalities=7)]}, context=context).events
    assert event.fatalities is None or event.fatalities == 5  # refilled from the claim only
    assert IssueKind.number_not_stated in _kinds(run)["events[0].fatalities"]


def test_a_drone_strike_typed_accident_becomes_an_attack() -> None:
    context, run = _context()
    [event] = EventList.model_validate(
        {"events": [_event(event_type="accident")]}, context=context
    ).events
    assert event.event_type == "attack"
    assert IssueKind.wrong_type in _kinds(run)["events[0].event_type"]


def test_a_description_its_evidence_does_not_state_is_replaced_by_the_evidence() -> None:
    context, run = _context()
    description = "Russland setzte in der Nacht seine Angriffe auf die Ukraine fort."
    [event] = EventList.model_validate(
        {
            "events": [
                _event(event_type="meeting", description=description, evidence={"text": MEETING})
            ]
        },
        context=context,
    ).events
    assert event.description != description
    assert IssueKind.unsupported in _kinds(run)["events[0].description"]


def test_a_description_in_the_other_language_its_evidence_does_not_state_is_flagged() -> None:
    context, run = _context("en")
    description = "A Russian attack on a training ground in Poltava killed two."
    EventList.model_validate(
        {
            "events": [
                _event(event_type="meeting", description=description, evidence={"text": MEETING})
            ]
        },
        context=context,
    )
    assert IssueKind.unsupported in _kinds(run)["events[0].description"]


def test_a_phrase_that_is_not_a_time_is_cleared() -> None:
    context, run = _context()
    [event] = EventList.model_validate(
        {"events": [_event(time={"text": "nach Behördenangaben"})]}, context=context
    ).events
    assert event.time.text is None
    assert IssueKind.unsupported in _kinds(run)["events[0].time.text"]


def _draft(**fields: Any) -> dict[str, Any]:
    draft = {
        "headline": "Kim sichert Russland Unterstützung zu",
        "summary": "Nordkoreas Machthaber Kim Jong Un hat Russland Unterstützung zugesichert.",
        "key_points": [
            {
                "text": "Kim Jong Un hat Russland Unterstützung zugesichert.",
                "evidence": {
                    "text": "Nordkoreas Machthaber Kim Jong Un hat Russland im Krieg "
                    "gegen die Ukraine Staatsmedien zufolge „bedingungslose "
                    "Unterstützung“ zugesichert."
                },
            }
        ],
        "entities": [],
        "quotes": [],
        "sources": [],
    }
    return {**draft, **fields}


def test_a_treaty_name_in_quotation_marks_is_not_a_quote() -> None:
    context, run = _context()
    draft = SummaryDraft.model_validate(
        _draft(
            quotes=[
                {"speaker": "Kim Jong Un", "text": "bedingungslose Unterstützung"},
                {"speaker": "Schoigu", "text": "umfassende strategische Partnerschaft"},
            ]
        ),
        context=context,
    )
    assert [q.text for q in draft.quotes] == ["bedingungslose Unterstützung"]
    assert IssueKind.not_a_quote in _kinds(run)["quotes[1].text"]


@pytest.mark.parametrize("name", ["Nordkorea", "Sekretär"])
def test_a_country_or_a_role_word_is_not_a_source(name: str) -> None:
    context, run = _context()
    draft = SummaryDraft.model_validate(
        _draft(
            sources=[
                {"name": "KCNA", "type": "news_agency"},
                {"name": name, "type": "organization"},
            ]
        ),
        context=context,
    )
    assert [s.name for s in draft.sources] == ["KCNA"]
    assert IssueKind.not_a_source in _kinds(run)["sources[1].name"]


def test_the_rules_read_the_reference_articles_quotes_and_sources() -> None:
    names = article_names(ARTICLE, "de")
    quotes = {q.text: q.speaker for q in rule_quotes(ARTICLE, "de", names)}
    assert "Kim" in quotes["bedingungslose Unterstützung"]
    assert "Peskow" in quotes["wie und wann"]
    assert "umfassende strategische Partnerschaft" not in quotes
    assert "bedingungslos" not in quotes  # the headline's: nobody is said to say it
    sources = {s.name: s.type.value for s in rule_sources(ARTICLE, "de", names)}
    assert sources["KCNA"] == "news_agency"
    assert sources["Tass"] == "news_agency"
    assert sources["Dmitri Peskow"] == "official"
    assert not {"Nordkorea", "Sekretär", "AFP"} & set(sources)  # AFP: the photo credit


def test_the_rules_find_the_reference_articles_events() -> None:
    candidates = event_candidates(ARTICLE, "de")
    kinds = [(c.event_type.value, c.text[:40]) for c in candidates]
    assert candidates[0].text.startswith("Pjöngjang/Moskau – Nordkoreas Machthaber")
    attacks = [c for c in candidates if c.event_type == "attack" and c.casualties]
    assert [a.text for a in attacks][:2] == [
        DRONE,
        "Zwei weitere Todesopfer wurden nach einem russischen Angriff auf ein "
        "Trainingsgelände in der Region Poltawa gemeldet.",
    ], kinds
    threat = next(c for c in candidates if "kündigte Moskau" in c.text)
    assert threat.event_type == "statement"
    assert not any("Er antwortete" in c.text for c in candidates)  # attacks mentioned only


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Bei der Entgleisung sind am Donnerstagabend 23 Menschen verletzt worden.",
            "am Donnerstagabend",
        ),
        ("Russland setzte in der Nacht seine Angriffe fort.", "in der Nacht"),
        ("A quake struck southern Peru early on Sunday, killing twelve people.", "early on Sunday"),
        (DRONE, None),  # "nach Behördenangaben" is not a time
    ],
)
def test_event_times_are_time_expressions(sentence: str, expected: str | None) -> None:
    language = "en" if "Peru" in sentence else "de"
    assert event_time(sentence, language) == expected
