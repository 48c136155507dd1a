"""Fault matrix against the fake OpenAI-compatible server: every fault ends in a correct result
after bounded retries/re-asks, or in a clear typed error within a bounded time."""

from __future__ import annotations

import time
from typing import Any

import pytest

from summarizer import EndpointError, ModelOutputError, summarize
from summarizer.datamodel.settings import Settings
from summarizer.providers import policy_for
from summarizer.testing.fake_openai import Action, Drop, FakeOpenAIServer, Hang, Reply, Status
from summarizer.transport import worst_case_request_s
from tests import payloads

KEY = "sk-fault-secret-24680"

#: Short timings so that the whole matrix runs in seconds.
FAST: dict[str, Any] = {
    "timeout_s": 0.5,
    "transport_attempts": 3,
    "transport_deadline_s": 3.0,
    "backoff_initial_s": 0.01,
    "backoff_max_s": 0.05,
    "retry_after_max_s": 0.3,
    "max_reasks": 1,
}

EMPTY_DRAFT = {
    "headline": "",
    "summary": " ",
    "key_points": [],
    "entities": [],
    "quotes": [],
    "sources": [],
}


def run(server: FakeOpenAIServer, article: str, **overrides: Any) -> Any:
    options = {"provider": "openai", "base_url": server.base_url, "api_key": KEY, **FAST}
    return summarize(article, **{**options, **overrides})


RECOVERABLE: dict[str, tuple[list[Action], str]] = {
    # fault: (what the summary call gets before a good reply, counter that must show it)
    "connection reset": ([Drop()], "transport_retries"),
    "429 without Retry-After": ([Status(429)], "transport_retries"),
    "429 with Retry-After": ([Status(429, headers={"Retry-After": "0.2"})], "transport_retries"),
    "500": ([Status(500)], "transport_retries"),
    "502": ([Status(502)], "transport_retries"),
    "503": ([Status(503)], "transport_retries"),
    "malformed JSON": ([Reply('{"headline": "Kim", ')], "reasks"),
    "schema-valid but empty": ([Reply(EMPTY_DRAFT)], "reasks"),
}


def test_wrong_tool_name_is_validated_as_the_asked_schema_and_flagged(
    server: FakeOpenAIServer, article: str
) -> None:
    server.script("SummaryDraft", Reply(payloads.draft(), tool_name="delete_everything"))
    server.script("EventList", Reply(payloads.events()))
    result = run(server, article, mode="tools")
    assert result.headline == payloads.DRAFT["headline"]  # the arguments fit and ground
    assert result.metadata is not None
    assert any(
        "'delete_everything' instead of 'SummaryDraft'" in w for w in result.metadata.warnings
    )


@pytest.mark.parametrize("fault", list(RECOVERABLE))
def test_transient_fault_ends_in_a_correct_result(
    server: FakeOpenAIServer, article: str, fault: str
) -> None:
    actions, counter = RECOVERABLE[fault]
    server.script("SummaryDraft", *actions, Reply(payloads.draft()))
    server.script("EventList", Reply(payloads.events()))
    mode = "tools" if fault == "wrong tool name" else "json_schema"
    result = run(server, article, mode=mode)
    assert result.headline == payloads.DRAFT["headline"]
    assert [e.fatalities for e in result.events] == [5]
    assert result.metadata is not None and getattr(result.metadata, counter) == 1


@pytest.mark.parametrize(
    "action",
    [Hang(), Reply(payloads.draft(), delay_s=2.0)],
    ids=["no answer", "slow answer past the timeout"],
)
def test_a_read_timeout_is_not_sent_again(
    server: FakeOpenAIServer, article: str, action: Action
) -> None:
    """The server has the request and may still be working on it: a second copy would queue
    behind the first (a CPU server never catches up). The error names the setting."""
    server.script("SummaryDraft", action, Reply(payloads.draft()))
    server.always("EventList", Reply(payloads.events()))
    with pytest.raises(EndpointError, match=r"did not answer within 0.5 s.*SUMMARIZER_TIMEOUT_S"):
        run(server, article)
    assert len(server.requests_for("SummaryDraft")) == 1


PERSISTENT: dict[str, tuple[Action, type[Exception], str]] = {
    "never answers": (Hang(), EndpointError, "did not answer within 0.5 s"),
    "connection resets": (Drop(), EndpointError, "could not connect"),
    "429 forever": (Status(429, headers={"Retry-After": "0.1"}), EndpointError, "HTTP 429"),
    "503 forever": (Status(503), EndpointError, "HTTP 503"),
    "malformed JSON forever": (Reply("{not json"), ModelOutputError, "did not fit the schema"),
    "empty answers forever": (Reply(EMPTY_DRAFT), ModelOutputError, "did not fit the schema"),
    "cut off at the token limit": (
        Reply(payloads.draft(), finish_reason="length"),
        ModelOutputError,
        "cut off at the token limit",
    ),
}


@pytest.mark.parametrize("fault", list(PERSISTENT))
def test_persistent_fault_is_a_typed_error_within_the_bound(
    server: FakeOpenAIServer, article: str, fault: str
) -> None:
    action, error, message = PERSISTENT[fault]
    server.always("SummaryDraft", action)
    server.always("EventList", Reply(payloads.events()))
    bound = worst_case_call_s(Settings(**FAST))
    started = time.monotonic()
    with pytest.raises(error, match=message) as raised:
        run(server, article)
    elapsed = time.monotonic() - started
    assert elapsed <= bound + 1.0, f"{elapsed:.1f} s > bound {bound:.1f} s"
    assert KEY not in str(raised.value)
    summary_requests = len(server.requests_for("SummaryDraft"))
    assert summary_requests <= FAST["transport_attempts"] * (FAST["max_reasks"] + 1)


def worst_case_call_s(settings: Settings) -> float:
    """Longest one structured call (and so one article: its calls run side by side) can take:
    every reply of the call, re-asks included, may need a full worst-case request."""
    return (policy_for(settings).max_reasks + 1) * worst_case_request_s(settings)


def test_worst_case_with_default_settings_is_what_the_readme_says() -> None:
    # README, "Faults and worst-case time": 24 minutes per article with the default settings.
    assert worst_case_call_s(Settings(provider="openai", api_key="sk-x")) == pytest.approx(24 * 60)


#: What llama-cpp-python's server answers to a json_schema response format (HTTP 500).
LLAMA_CPP_SERVER_500 = (
    "1 validation error for CreateChatCompletionRequest\nresponse_format.type\n  Input should "
    "be 'text' or 'json_object' [type=literal_error, input_value='json_schema']"
)


@pytest.mark.parametrize(
    ("status", "message", "hint"),
    [
        (500, LLAMA_CPP_SERVER_500, "summarizer probe --base-url"),
        (500, "failed to parse grammar", "summarizer probe --base-url"),
        (422, "tool_choice is not supported", "summarizer probe --base-url"),
        (400, "This model's maximum context length is 8192 tokens", "lower --chunk-chars"),
    ],
)
def test_a_rejected_request_fails_fast_and_names_the_fix(
    server: FakeOpenAIServer, article: str, status: int, message: str, hint: str
) -> None:
    from summarizer.datamodel.errors import RequestRejectedError

    server.always(None, Status(status, message=message))
    started = time.perf_counter()
    with pytest.raises(RequestRejectedError) as info:
        run(server, article, mode="json_schema")
    assert time.perf_counter() - started < 2.0
    calls = [len(server.requests_for(name)) for name in ("SummaryDraft", "EventList")]
    assert max(calls) == 1  # each call sent once: not retried as if transient
    text = str(info.value)
    assert "\n" not in text and "mode json_schema" in text and hint in text
    assert f"HTTP {status}" in text and info.value.exit_code == 2


def test_a_plain_server_error_is_still_retried(server: FakeOpenAIServer, article: str) -> None:
    server.always(None, Status(500, message="internal error"))
    with pytest.raises(EndpointError, match="kept failing"):
        run(server, article)
    # retried (up to transport_attempts, fewer if the deadline comes first on a loaded machine)
    assert 1 < len(server.requests_for("SummaryDraft")) <= FAST["transport_attempts"]
