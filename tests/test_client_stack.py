"""The real openai + instructor + tenacity stack against the fake server over HTTP."""

from __future__ import annotations

import json
import time

import pytest

from summarizer import (
    AuthenticationError,
    EndpointError,
    GroundingError,
    ModelOutputError,
    asummarize,
    extract_events,
    summarize,
)
from summarizer.prompts import WRITE_IN
from summarizer.testing.fake_openai import Drop, FakeOpenAIServer, Reply, Status
from tests import payloads
from tests.conftest import FULL_SCHEMAS

KEY = "sk-test-secret-0123456789"


def run(server: FakeOpenAIServer, article: str, fast_retry: dict, **kwargs):
    options = {"provider": "openai", "base_url": server.base_url, "api_key": KEY, **fast_retry}
    options |= FULL_SCHEMAS
    return summarize(article, **{**options, **kwargs})


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json", "md_json"])
def test_valid_reply_in_every_mode(
    server: FakeOpenAIServer, article: str, fast_retry: dict, mode: str
) -> None:
    server.script("SummaryDraft", Reply(payloads.draft()))
    server.script("EventList", Reply(payloads.events()))
    result = run(server, article, fast_retry, mode=mode)

    assert result.language == "de" and result.output_language == "de"
    assert result.headline == payloads.DRAFT["headline"]
    assert [e.fatalities for e in result.events] == [5]
    for span in [p.evidence for p in result.key_points] + [e.evidence for e in result.events]:
        assert article[span.start : span.end] == span.text
    meta = result.metadata
    assert meta is not None
    assert (meta.provider, meta.mode, meta.llm_calls, meta.reasks) == ("openai", mode, 2, 0)
    assert meta.usage.prompt_tokens == 200 and meta.usage.completion_tokens == 100
    assert len(meta.prompt_version) == 12 and meta.warnings == []

    request = server.requests_for("SummaryDraft")[0]
    for headers in server.headers:  # every request authenticates like the SDK's create()
        assert {k.lower(): v for k, v in headers.items()}["authorization"] == f"Bearer {KEY}"
    assert request["model"] == meta.model and request["max_tokens"] > 0
    if mode == "tools":
        assert request["tools"][0]["function"]["name"] == "SummaryDraft"
    elif mode == "json_schema":
        assert request["response_format"]["type"] == "json_schema"
        assert request["response_format"]["json_schema"]["name"] == "SummaryDraft"
    system, user = request["messages"][0]["content"], request["messages"][-1]["content"]
    assert article.strip() not in system  # the static prefix carries no article text
    assert user.index("=== BEGIN ARTICLE") < user.index(article.strip())
    after_article = user[user.index(article.strip()) + len(article.strip()) :]
    assert after_article.lstrip().startswith("=== END ARTICLE")


def test_invented_quote_triggers_a_reask_and_is_corrected(
    server: FakeOpenAIServer, article: str, fast_retry: dict
) -> None:
    invented = payloads.draft(quotes=[{"speaker": "Peskow", "text": "Wir werden siegen"}])
    server.script("SummaryDraft", Reply(invented), Reply(payloads.draft()))
    server.script("EventList", Reply(payloads.events()))
    result = run(server, article, fast_retry)

    assert [q.text for q in result.quotes] == ["wie und wann"]
    assert result.metadata is not None and result.metadata.reasks == 1
    assert result.metadata.warnings == []
    reask = server.requests_for("SummaryDraft")[1]["messages"]
    feedback = " ".join(str(m.get("content")) for m in reask[2:])
    assert "'Wir werden siegen' is not quoted verbatim from the article" in feedback


def test_content_that_never_grounds_is_dropped_with_a_warning(
    server: FakeOpenAIServer, article: str, fast_retry: dict
) -> None:
    invented = payloads.draft(quotes=[{"speaker": "Peskow", "text": "Wir werden siegen"}])
    server.script("SummaryDraft", *[Reply(invented)] * 3)
    server.script("EventList", Reply(payloads.events()))
    result = run(server, article, fast_retry, max_reasks=2)

    assert result.quotes == []
    assert len(result.key_points) == 2  # the grounded rest survives
    meta = result.metadata
    assert meta is not None and meta.reasks == 2
    assert len(server.requests_for("SummaryDraft")) == 3
    assert any("Wir werden siegen" in w for w in meta.warnings)
    # The typed record behind the warning: re-asked twice, then dropped.
    quote_issues = [i for i in meta.issues if i.where == "quotes[0].text"]
    assert [(i.task, i.kind, i.action) for i in quote_issues] == [
        ("summary", "not_located", "reasked"),
        ("summary", "not_located", "reasked"),
        ("summary", "not_located", "dropped"),
    ]
    assert meta.warnings == [i.warning for i in meta.issues if i.action == "dropped"]
    assert json.loads(result.model_dump_json())["metadata"]["warnings"] == meta.warnings


def test_strict_mode_raises_when_content_never_grounds(
    server: FakeOpenAIServer, article: str, fast_retry: dict
) -> None:
    server.script("SummaryDraft", Reply(payloads.draft()))
    server.script("EventList", *[Reply(payloads.events(fatalities=50))] * 2)
    with pytest.raises(GroundingError) as info:
        run(server, article, fast_retry, strict=True, max_reasks=1)
    assert any("fatalities: 50" in p for p in info.value.problems)


def test_429_with_retry_after_is_honoured(
    server: FakeOpenAIServer, article: str, fast_retry: dict
) -> None:
    server.script(
        "SummaryDraft", Status(429, headers={"Retry-After": "1"}), Reply(payloads.draft())
    )
    server.script("EventList", Reply(payloads.events()))
    started = time.monotonic()
    result = run(server, article, fast_retry)
    assert time.monotonic() - started >= 0.95  # waited what the server asked, not 10 ms
    assert result.metadata is not None and result.metadata.transport_retries == 1


def test_500_twice_then_success(server: FakeOpenAIServer, article: str, fast_retry: dict) -> None:
    server.script("SummaryDraft", Status(500), Status(503), Reply(payloads.draft()))
    server.script("EventList", Reply(payloads.events()))
    result = run(server, article, fast_retry)
    assert result.metadata is not None and result.metadata.transport_retries == 2
    assert result.metadata.reasks == 0


def test_dropped_connection_is_retried(
    server: FakeOpenAIServer, article: str, fast_retry: dict
) -> None:
    server.script("SummaryDraft", Drop(), Reply(payloads.draft()))
    server.script("EventList", Reply(payloads.events()))
    result = run(server, article, fast_retry)
    assert result.metadata is not None and result.metadata.transport_retries == 1


def test_persistent_5xx_gives_up_within_the_attempt_bound(
    server: FakeOpenAIServer, article: str, fast_retry: dict
) -> None:
    server.script(None, *[Status(502)] * 10)
    with pytest.raises(EndpointError, match="HTTP 502"):
        run(server, article, fast_retry, transport_attempts=3)
    assert len(server.requests) <= 6  # two calls, three attempts each


def test_401_fails_fast_with_a_clear_message_and_no_key(
    server: FakeOpenAIServer, article: str, fast_retry: dict
) -> None:
    server.script(None, *[Status(401, message=f"Incorrect API key provided: {KEY}")] * 4)
    with pytest.raises(AuthenticationError) as info:
        run(server, article, fast_retry)
    assert "invalid API key" in str(info.value)
    assert KEY not in str(info.value)
    assert len(server.requests) <= 2  # one per call, never retried


@pytest.mark.parametrize("status", [400, 403, 404])
def test_other_client_errors_are_not_retried(
    server: FakeOpenAIServer, article: str, fast_retry: dict, status: int
) -> None:
    server.script(None, *[Status(status, message=f"bad {KEY}")] * 4)
    with pytest.raises(EndpointError) as info:
        run(server, article, fast_retry)
    assert f"HTTP {status}" in str(info.value) and KEY not in str(info.value)
    assert len(server.requests) <= 2


def test_unreachable_endpoint_is_a_clear_error(article: str, fast_retry: dict) -> None:
    with pytest.raises(EndpointError, match="could not connect"):
        summarize(
            article,
            provider="openai",
            base_url="http://127.0.0.1:9/v1",
            api_key=KEY,
            transport_attempts=2,
            **fast_retry,
        )


def test_reply_that_never_fits_the_schema(
    server: FakeOpenAIServer, article: str, fast_retry: dict
) -> None:
    server.script("SummaryDraft", *[Reply("this is not json")] * 2)
    server.script("EventList", Reply(payloads.events()))
    with pytest.raises(ModelOutputError, match="did not fit the schema after 2 replies"):
        run(server, article, fast_retry, max_reasks=1, mode="json")


def test_a_schema_failure_names_the_field_and_the_rule(
    server: FakeOpenAIServer, article: str, fast_retry: dict
) -> None:
    too_long = payloads.draft(headline="Kim " * 80)
    server.script("SummaryDraft", *[Reply(too_long)] * 2)
    server.script("EventList", Reply(payloads.events()))
    with pytest.raises(ModelOutputError) as info:
        run(server, article, fast_retry, max_reasks=1)
    message = str(info.value)
    assert message.endswith("headline: String should have at most 200 characters")
    assert "<failed_attempts>" not in message and "\n" not in message


KIM, DRONE = payloads.KIM_SENTENCE, payloads.DRONE_SENTENCE


def test_cross_lingual_output_keeps_quotes_verbatim(
    server: FakeOpenAIServer, article: str, fast_retry: dict
) -> None:
    english = payloads.draft(
        headline="Kim pledges unconditional support to Russia",
        summary="North Korea's leader Kim Jong Un pledged unconditional support to Russia.",
        quotes=[{"speaker": "Peskow", "text": "wie und wann", "translation": "how and when"}],
        key_points=[
            {"text": "Kim pledged Russia unconditional support.", "evidence": {"text": KIM}},
            {"text": "A drone attack killed at least five people.", "evidence": {"text": DRONE}},
        ],
    )
    server.script("SummaryDraft", Reply(english))
    english_event = payloads.events(description="Russian drone attack in northern Ukraine.")
    server.script("EventList", Reply(english_event))
    result = run(server, article, fast_retry, output_language="en")
    assert (result.language, result.output_language) == ("de", "en")
    assert result.quotes[0].text == "wie und wann"
    assert result.quotes[0].translation == "how and when"
    user_prompt = server.requests_for("SummaryDraft")[0]["messages"][-1]["content"]
    last = user_prompt.splitlines()[-2:]  # last: next to the reply, and in English itself
    assert last == ["Output language: English.", WRITE_IN["en"]]


def test_extract_events_makes_one_call(
    server: FakeOpenAIServer, article: str, fast_retry: dict
) -> None:
    server.script("EventList", Reply(payloads.events()))
    found = extract_events(
        article,
        provider="openai",
        base_url=server.base_url,
        api_key=KEY,
        **fast_retry,
        **FULL_SCHEMAS,
    )
    assert [e.event_type.value for e in found] == ["attack"]
    assert len(server.requests) == 1


async def test_asummarize_runs_both_calls(
    server: FakeOpenAIServer, article: str, fast_retry: dict
) -> None:
    server.script("SummaryDraft", Reply(payloads.draft(), delay_s=0.5))
    server.script("EventList", Reply(payloads.events(), delay_s=0.5))
    result = await asummarize(
        article,
        provider="openai",
        base_url=server.base_url,
        api_key=KEY,
        **fast_retry,
        **FULL_SCHEMAS,
    )
    assert server.max_in_flight == 2  # the two calls were in flight at the same time
    assert result.events and result.key_points


def test_template_syntax_in_the_article_reaches_the_model_verbatim(
    server: FakeOpenAIServer, article: str, fast_retry: dict
) -> None:
    # instructor renders messages as Jinja templates with the validation context; article
    # text must not be evaluated (this used to print the context or crash the parser).
    tricky = (
        article
        + "\n\nLeserkommentar: {{ article }} {{ run }} {% for x in range(3) %}x{% endfor %} {#"
    )
    server.script("SummaryDraft", Reply(payloads.draft()))
    server.script("EventList", Reply(payloads.events()))
    result = run(server, tricky, fast_retry)
    assert result.headline == payloads.DRAFT["headline"]
    for request in server.requests:
        user = request["messages"][-1]["content"]
        assert "{{ article }} {{ run }} {% for x in range(3) %}x{% endfor %} {#" in user
        assert user.count("Nordkoreas Machthaber") == article.count("Nordkoreas Machthaber")
