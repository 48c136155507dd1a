"""Replies that make each mistake the support checks exist for, through the real client stack
against the fake server: each is caught and re-asked, then dropped, cleared, corrected or
flagged after the last re-ask; the same reply with correct content passes untouched."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from summarizer import summarize
from summarizer.datamodel.schemas import ArticleSummary
from summarizer.testing.fake_openai import FakeOpenAIServer, Reply
from tests import payloads
from tests.conftest import FULL_SCHEMAS

VISIT = "Es war Schoigus zweiter Besuch in Pjöngjang in weniger als drei Monaten."
LEAK = "The article's published headline and date are between the first two markers below."


@dataclass
class Mistake:
    name: str
    schema: str  # SummaryDraft or EventList
    bad: dict[str, Any]
    kind: str
    where: str
    action: str  # after the last re-ask


def point(text: str, evidence: str) -> dict[str, Any]:
    return {"text": text, "evidence": {"text": evidence}}


MISTAKES = [
    Mistake(
        "unsupported key point",
        "SummaryDraft",
        payloads.draft(
            key_points=[
                point("Kim sicherte Russland Unterstützung zu.", payloads.KIM_SENTENCE),
                point("Kim besuchte am Montag Berlin und traf dort Olaf Scholz.", VISIT),
            ]
        ),
        "unsupported",
        "key_points[1].text",
        "dropped",
    ),
    Mistake(
        "wrong speaker",
        "SummaryDraft",
        payloads.draft(
            quotes=[{"speaker": "Sergej Schoigu", "text": "bedingungslose Unterstützung"}]
        ),
        "wrong_speaker",
        "quotes[0].speaker",
        "dropped",
    ),
    Mistake(
        "wrong casualty figure",
        "EventList",
        payloads.events(fatalities=7),
        "number_not_stated",
        "events[0].fatalities",
        "cleared",
    ),
    Mistake(
        "missing casualty figure",
        "EventList",
        payloads.events(fatalities=None),
        "missing_figure",
        "events[0].fatalities",
        "corrected",
    ),
    Mistake(
        "wrong source",
        "EventList",
        payloads.events(source_attribution="KCNA"),
        "unsupported",
        "events[0].source_attribution",
        "cleared",
    ),
    Mistake(
        "truncated summary",
        "SummaryDraft",
        payloads.draft(summary=payloads.DRAFT["summary"] + " Zwei weitere Todesopfer wurden"),
        "cut_off",
        "summary",
        "flagged",
    ),
    Mistake(
        "wrong language",
        "SummaryDraft",
        payloads.draft(
            summary="North Korea's leader Kim Jong Un pledged unconditional support to Russia."
        ),
        "wrong_language",
        "summary",
        "flagged",
    ),
    Mistake(
        "wrong script",
        "SummaryDraft",
        payloads.draft(
            summary="Kim Jong Un hat Russland laut KCNA Unterstützung 软件 zugesichert."
        ),
        "foreign_script",
        "summary",
        "flagged",
    ),
    Mistake(
        "repeated prompt",
        "SummaryDraft",
        payloads.draft(
            key_points=[
                *payloads.DRAFT["key_points"],
                point(LEAK, payloads.DRONE_SENTENCE),
            ]
        ),
        "prompt_leak",
        "key_points[2].text",
        "dropped",
    ),
]


def run(server: FakeOpenAIServer, article: str, fast_retry: dict) -> ArticleSummary:
    options = {"provider": "openai", "base_url": server.base_url, "api_key": "sk-test-key"}
    options |= FULL_SCHEMAS
    return summarize(article, max_reasks=1, **options, **fast_retry)


def script(server: FakeOpenAIServer, mistake: Mistake, *replies: dict[str, Any]) -> None:
    other = "EventList" if mistake.schema == "SummaryDraft" else "SummaryDraft"
    good = payloads.events() if other == "EventList" else payloads.draft()
    server.script(mistake.schema, *(Reply(r) for r in replies))
    server.script(other, Reply(good))


def issues(result: ArticleSummary, where: str, kind: str | None = None) -> list[tuple[str, str]]:
    """(kind, action) of the issues found at ``where`` (of one ``kind``: a text in the wrong
    language is unsupported too)."""
    assert result.metadata is not None
    return [
        (i.kind.value, i.action.value)
        for i in result.metadata.issues
        if i.where == where and kind in (None, i.kind.value)
    ]


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_a_mistake_is_reasked_then_handled(
    server: FakeOpenAIServer, article: str, fast_retry: dict, mistake: Mistake
) -> None:
    script(server, mistake, mistake.bad, mistake.bad)
    result = run(server, article, fast_retry)
    assert len(server.requests_for(mistake.schema)) == 2  # asked again once
    assert issues(result, mistake.where, mistake.kind) == [
        (mistake.kind, "reasked"),
        (mistake.kind, mistake.action),
    ]
    assert result.metadata is not None and any(mistake.where in w for w in result.metadata.warnings)


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_a_corrected_answer_passes_untouched(
    server: FakeOpenAIServer, article: str, fast_retry: dict, mistake: Mistake
) -> None:
    good = payloads.draft() if mistake.schema == "SummaryDraft" else payloads.events()
    script(server, mistake, mistake.bad, good)
    result = run(server, article, fast_retry)
    assert issues(result, mistake.where, mistake.kind) == [(mistake.kind, "reasked")]
    assert result.metadata is not None and result.metadata.warnings == []
    assert all(i.action.value == "reasked" for i in result.metadata.issues)


def test_the_consequences_after_the_last_reask(
    server: FakeOpenAIServer, article: str, fast_retry: dict
) -> None:
    by_name = {m.name: m for m in MISTAKES}
    script(server, by_name["unsupported key point"], *[by_name["unsupported key point"].bad] * 2)
    assert len(run(server, article, fast_retry).key_points) == 1

    with FakeOpenAIServer() as second:
        script(second, by_name["missing casualty figure"], *[payloads.events(fatalities=None)] * 2)
        assert [e.fatalities for e in run(second, article, fast_retry).events] == [5]
    with FakeOpenAIServer() as third:
        truncated = by_name["truncated summary"].bad
        script(third, by_name["truncated summary"], truncated, truncated)
        result = run(third, article, fast_retry)
        assert result.summary == payloads.DRAFT["summary"]  # ended at its last full sentence
        assert result.summary_support and all(s.supported for s in result.summary_support)


def test_swapped_evidence_is_set_to_the_sentence_that_states_the_point(
    server: FakeOpenAIServer, article: str, fast_retry: dict
) -> None:
    swapped = payloads.draft(
        key_points=[
            point("Kim sicherte Russland Unterstützung zu.", payloads.KIM_SENTENCE),
            point("Bei einem Drohnenangriff wurden mindestens fünf Menschen getötet.", VISIT),
        ]
    )
    script(server, MISTAKES[0], swapped)
    result = run(server, article, fast_retry)
    assert len(server.requests_for("SummaryDraft")) == 1  # repaired, not asked again
    assert result.key_points[1].evidence.text == payloads.DRONE_SENTENCE
    assert issues(result, "key_points[1].evidence") == [("unsupported", "corrected")]


def test_repeats_and_a_mistyped_agency_are_repaired_without_asking_again(
    server: FakeOpenAIServer, article: str, fast_retry: dict
) -> None:
    repeated = payloads.draft(
        key_points=[*payloads.DRAFT["key_points"], payloads.DRAFT["key_points"][0]],
        sources=[{"name": "KCNA", "type": "organization"}],
    )
    script(server, MISTAKES[0], repeated)
    result = run(server, article, fast_retry)
    assert len(server.requests_for("SummaryDraft")) == 1
    assert len(result.key_points) == 2
    assert result.sources[0].type.value == "news_agency"
    assert issues(result, "key_points[2]") == [("duplicate", "dropped")]
    assert issues(result, "sources[0].type") == [("wrong_type", "corrected")]


def test_correct_replies_pass_untouched(
    server: FakeOpenAIServer, article: str, fast_retry: dict
) -> None:
    script(server, MISTAKES[0], payloads.draft())
    result = run(server, article, fast_retry)
    assert result.metadata is not None and result.metadata.issues == []
    assert [s.supported for s in result.summary_support] == [True, True]
