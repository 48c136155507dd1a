"""The guided pipeline behind a server (a small model on llama-server or vLLM gets the same
decomposition as in process): two calls - the entities, then the chosen sentences restated -
with the rules' quotes, sources and events, and the restated sentences checked."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from summarizer import summarize
from summarizer.testing.fake_openai import FakeOpenAIServer, Reply, Respond


def _restated(body: dict[str, Any], sentence: str) -> dict[str, Any]:
    """A reply to the restate call: the same short sentence for every numbered slot."""
    schema = body["response_format"]["json_schema"]["schema"]
    slots = [name for name in schema["properties"] if name.startswith("s")]
    return {**dict.fromkeys(slots, sentence), "headline": "Kim sagt Russland Unterstützung zu"}


def _guided(
    server: FakeOpenAIServer,
    article: str,
    restate: Callable[[dict[str, Any]], dict[str, Any]],
    output_language: str | None = None,
) -> Any:
    """``article`` summarized by the guided pipeline behind the fake server: two entities,
    then ``restate`` answering every restate call."""
    entities = [
        {"name": "Kim Jong Un", "type": "person", "description": "Machthaber Nordkoreas"},
        {"name": "Sergej Schoigu", "type": "person", "description": "Sekretär"},
    ]
    server.script("SummaryDraft", Reply({"entities": entities}))
    server.always("Restated", Respond(restate))
    return summarize(
        article,
        output_language=output_language,
        provider="openai",
        base_url=server.base_url,
        api_key="sk-test",
        mode="json_schema",
        constrain=True,
        guided=True,
    )


PLEDGE = "Kim Jong Un hat Russland bedingungslose Unterstützung zugesichert."


def test_a_server_gets_the_decomposition_and_the_rules_fill_the_records(
    server: FakeOpenAIServer, article: str
) -> None:
    result = _guided(server, article, lambda body: _restated(body, PLEDGE))
    names = [json.dumps(r["response_format"]["json_schema"]["name"]) for r in server.requests]
    assert names == ['"SummaryDraft"', '"Restated"']
    draft_schema = server.requests[0]["response_format"]["json_schema"]["schema"]
    assert list(draft_schema["properties"]) == ["entities"]  # the rest is the rules'
    assert result.headline == "Nordkorea unterstützt Moskau „bedingungslos“"  # the publisher's
    assert {"KCNA", "Tass"} <= {s.name for s in result.sources}
    pledge = next(q for q in result.quotes if q.text == "bedingungslose Unterstützung")
    assert pledge.speaker == "Kim Jong Un"
    drone = next(e for e in result.events if "Drohnenangriff" in e.evidence.text)
    assert (drone.event_type, drone.fatalities, drone.injured) == ("attack", 5, None)


def test_a_restated_sentence_its_source_does_not_state_gives_way_to_the_source(
    server: FakeOpenAIServer, article: str
) -> None:
    """The server's model writes the same pledge for every sentence: wherever that is not what
    the sentence says, the article's sentence is kept and the repair recorded."""
    result = _guided(server, article, lambda body: _restated(body, PLEDGE))
    drone = next(e for e in result.events if "Drohnenangriff" in e.evidence.text)
    assert drone.description == drone.evidence.text + "."
    assert "mindestens fünf Menschen getötet" in result.summary
    assert result.metadata is not None
    repaired = [i for i in result.metadata.issues if (i.where or "").startswith("condense.")]
    assert repaired and all(i.kind == "unsupported" for i in repaired)


def test_sentences_left_in_the_articles_language_are_asked_for_again_then_left_out(
    server: FakeOpenAIServer, article: str
) -> None:
    """English output: the first reply copies German; the second translates the lead only.
    The lead's translation is used; what stays German is not in the summary, and is flagged."""
    german = "Kim Jong Un hat Russland bei einem Treffen bedingungslose Unterstützung zugesichert."
    english = "Kim Jong Un pledged Russia unconditional support, state media reported."
    replies: list[dict[str, Any]] = []

    def restated(body: dict[str, Any]) -> dict[str, Any]:
        reply = _restated(body, german)
        if replies:  # the second call: the lead translated
            reply["s1"] = english
        replies.append(reply)
        return reply

    result = _guided(server, article, restated, output_language="en")
    assert len(replies) == 2
    feedback = server.requests[-1]["messages"][-1]["content"]
    assert "not in English" in feedback and "(1)" in feedback
    assert result.summary == english
    assert result.metadata is not None
    assert any(i.kind == "wrong_language" for i in result.metadata.issues)


def test_a_long_sentence_that_does_not_fit_does_not_stop_shorter_ones_after_it() -> None:
    from summarizer.pipeline.guided import _within

    long = "A long sentence " + "with many words " * 30 + "ends here."
    assert _within(120, ["Lead sentence.", long, "Short one.", "Lead sentence."]) == (
        "Lead sentence. Short one."
    )
    assert _within(10, [long]) == long  # the lead is always said
