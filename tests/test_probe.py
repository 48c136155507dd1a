"""``summarizer probe`` and ``--mode auto`` against fake servers playing real server families
(the real ones run in tests/test_real_servers.py), and the schemas servers get."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer import summarize
from summarizer.cli import app
from summarizer.constrained.server import (
    SAFE_MAX_LENGTH,
    server_pattern,
    server_request,
    server_schema,
)
from summarizer.datamodel.settings import load_settings
from summarizer.datamodel.types import Mode
from summarizer.providers.probe import SENTINEL, probe, server_report
from summarizer.testing.fake_openai import (
    Action,
    Drop,
    FakeOpenAIServer,
    Reply,
    Status,
    compliant,
    probe_schema,
)
from tests import payloads
from tests.conftest import FULL_SCHEMAS_ENV

#: llama-cpp-python's server (measured on the real one): json_schema is HTTP 500, tools and
#: json_object with a schema constrain, a long maxLength kills the process.
LLAMA_CPP_500 = (
    "1 validation error: {'loc': ('body', 'response_format', 'type'), "
    "'msg': \"Input should be 'text' or 'json_object'\"}"
)


def llama_cpp_python_like(body: dict[str, Any]) -> Action:
    if (body.get("response_format") or {}).get("type") == "json_schema":
        return Status(500, LLAMA_CPP_500)
    if '"maxLength": 1' in json.dumps(probe_schema(body) or {}):
        return Drop()
    return compliant(body)


def ignores_schemas(body: dict[str, Any]) -> Action:
    """A server that takes any response format and ignores it, and has no tool calling."""
    if body.get("tools"):
        return Status(400, "tools are not supported by this model")
    text = json.dumps(body["messages"])
    if SENTINEL in text:  # asked for the word in the prompt: it writes it
        return Reply(f'{{"word": "{SENTINEL}"}}')
    return Reply("Hello")


def settings_for(server: FakeOpenAIServer) -> Any:
    return load_settings(provider="openai", base_url=server.base_url, api_key="sk-test")


def test_a_server_that_supports_everything_gets_json_schema(server: FakeOpenAIServer) -> None:
    report = probe(settings_for(server))
    assert report.mode is Mode.json_schema and not report.json_object_schema
    assert {r.outcome for r in report.features.values()} == {"constrains"}
    assert report.adapt == [] and server.requests == []  # probes are not article requests


def test_llama_cpp_python_gets_tools_and_no_crash(server: FakeOpenAIServer) -> None:
    server.probe_policy = llama_cpp_python_like
    report = probe(settings_for(server))
    assert report.mechanisms["json_schema"].outcome == "rejected"
    assert "HTTP 500" in report.mechanisms["json_schema"].detail
    assert report.mechanisms["tools"].outcome == "constrains"
    assert report.mode is Mode.tools
    assert report.features["maxLength"].outcome == "constrains"  # a short limit is safe


def test_a_server_that_ignores_schemas_gets_plain_json(server: FakeOpenAIServer) -> None:
    server.probe_policy = ignores_schemas
    report = probe(settings_for(server))
    assert report.mechanisms["json_schema"].outcome == "ignored"
    assert report.mechanisms["tools"].outcome == "rejected"
    assert report.mechanisms["json"].outcome == "parses"
    assert report.mode is Mode.json


def test_a_server_that_dies_during_the_probe_is_reported(server: FakeOpenAIServer) -> None:
    def dies_on_min_items(body: dict[str, Any]) -> Action:
        died = '"minItems"' in json.dumps(probe_schema(body) or {})
        return Drop() if died or len(server.probes) > 7 else compliant(body)

    server.probe_policy = dies_on_min_items
    report = probe(settings_for(server))
    assert report.mode is Mode.json_schema
    assert report.features["minItems"].outcome == "failed"
    assert "died" in report.features["minItems"].detail


def test_mode_auto_probes_once_and_sends_what_the_server_compiles(
    server: FakeOpenAIServer, article: str
) -> None:
    server.probe_policy = llama_cpp_python_like
    server.always("SummaryDraft", Reply(payloads.draft()))
    server.always("EventList", Reply(payloads.events()))
    options = {"provider": "openai", "base_url": server.base_url, "api_key": "sk-test"}
    first = summarize(article, **options)
    probes = len(server.probes)
    second = summarize(article, **options)
    assert len(server.probes) == probes  # cached per base URL and model
    assert first.metadata is not None and first.metadata.mode == "tools"
    assert second.metadata is not None and second.metadata.mode == "tools"
    sent = json.dumps([r["tools"][0]["function"]["parameters"] for r in server.requests])
    lengths = [int(n) for n in __import__("re").findall(r'"maxLength": (\d+)', sent)]
    assert lengths and max(lengths) <= SAFE_MAX_LENGTH  # the 1,200 limit that kills it is gone


def test_a_cached_probe_is_reused_and_a_new_probe_replaces_it(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    settings = settings_for(server)
    assert server_report(settings).mode is Mode.json_schema
    first = CliRunner().invoke(app, ["probe", "--base-url", server.base_url, "--no-save"])
    assert "per-article constraints: honoured" in first.stdout  # a full-featured server
    server.probe_policy = llama_cpp_python_like
    assert server_report(settings).mode is Mode.json_schema  # cached
    result = CliRunner().invoke(app, ["probe", "--base-url", server.base_url])
    assert result.exit_code == 0, result.stderr
    assert "recommended: --mode tools" in result.stdout
    assert "per-article constraints: not sent" in result.stdout  # tools only: full schemas
    assert "json_schema          rejected" in result.stdout
    assert server_report(settings).mode is Mode.tools


def test_probe_of_a_server_with_no_usable_mode_exits_1(server: FakeOpenAIServer) -> None:
    server.probe_policy = lambda body: Reply("Hello")
    result = CliRunner().invoke(app, ["probe", "--base-url", server.base_url])
    assert result.exit_code == 1 and "no structured-output mode works" in result.stderr


def test_verbose_runs_say_which_mode_auto_chose(
    server: FakeOpenAIServer, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.conftest import SEED_ARTICLE

    server.always("SummaryDraft", Reply(payloads.draft()))
    server.always("EventList", Reply(payloads.events()))
    args = ["-v", "summarize", str(SEED_ARTICLE), "--base-url", server.base_url, "--format", "json"]
    result = CliRunner(env={"OPENAI_API_KEY": "sk-test", **FULL_SCHEMAS_ENV}).invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert "mode auto: json_schema" in caplog.text  # -v prints this log line to stderr


def test_server_schemas_keep_what_validation_needs_and_drop_what_breaks_servers() -> None:
    schema = {
        "type": "object",
        "$defs": {"P": {"type": "object", "properties": {"t": {"type": "string", "maxLength": 9}}}},
        "properties": {
            "summary": {"type": "string", "maxLength": 1200},
            "points": {"type": "array", "items": {"$ref": "#/$defs/P"}, "minItems": 3},
        },
    }
    plain = server_schema(schema)
    assert plain["properties"]["summary"]["maxLength"] == SAFE_MAX_LENGTH  # capped, not dropped
    assert plain["$defs"]["P"]["properties"]["t"]["maxLength"] == 9  # short limits stay
    assert plain["properties"]["points"]["minItems"] == 3
    adapted = server_schema(schema, ["$ref", "minItems"])
    assert "$defs" not in adapted and "$ref" not in json.dumps(adapted)
    assert adapted["properties"]["points"]["items"]["properties"]["t"]["maxLength"] == 9
    assert "minItems" not in adapted["properties"]["points"]
    fmt = {"type": "json_schema", "json_schema": {"name": "X", "schema": schema}}
    rewritten = server_request({"response_format": fmt}, json_object_schema=True)
    assert rewritten["response_format"]["type"] == "json_object"
    assert rewritten["response_format"]["schema"]["properties"]["summary"]["maxLength"] == 500


@pytest.mark.parametrize("mode", ["json_schema", "tools"])
def test_a_forced_mode_still_gets_server_safe_schemas(
    server: FakeOpenAIServer, article: str, mode: str
) -> None:
    server.always("SummaryDraft", Reply(payloads.draft()))
    server.always("EventList", Reply(payloads.events()))
    summarize(article, provider="openai", base_url=server.base_url, api_key="k", mode=mode)
    assert server.probes == []  # a forced mode is not probed
    assert '"maxLength": 1200' not in json.dumps(server.requests)


def rejects_patterns(body: dict[str, Any]) -> Action:
    """A server whose grammar compiler fails on ``pattern`` (HTTP 400), else full-featured."""
    if '"pattern"' in json.dumps(probe_schema(body) or {}):
        return Status(400, "unsupported JSON schema keyword: pattern")
    return compliant(body)


def ignores_patterns_and_any_of(body: dict[str, Any]) -> Action:
    """A server that constrains enums but writes any string for a pattern and ignores anyOf."""
    schema = probe_schema(body) or {}
    properties = schema.get("properties", {})
    if "code" in properties:
        return Reply(f'{{"word": "{SENTINEL}", "code": "hello"}}')
    if "pick" in properties:
        return Reply('{"pick": {"word": "hello"}}')
    return compliant(body)


def test_the_probe_says_which_schema_features_constrain(server: FakeOpenAIServer) -> None:
    report = probe(settings_for(server))  # full-featured (vLLM, SGLang): patterns, anyOf
    assert report.features["pattern"].outcome == "constrains"
    assert report.features["anyOf"].outcome == "constrains"
    server.probe_policy = ignores_patterns_and_any_of
    report = probe(settings_for(server))
    assert report.features["pattern"].outcome == "ignored"
    assert report.features["anyOf"].outcome == "ignored"
    assert report.features["maxLength"].outcome == "constrains"
    assert "pattern" not in report.adapt  # an ignored pattern does no harm


def test_a_server_that_rejects_patterns_gets_none(server: FakeOpenAIServer) -> None:
    server.probe_policy = rejects_patterns
    report = probe(settings_for(server))
    assert report.features["pattern"].outcome == "rejected" and "pattern" in report.adapt
    schema = {"type": "object", "properties": {"s": {"type": "string", "pattern": "^a$"}}}
    assert "pattern" not in json.dumps(server_schema(schema, report.adapt))
    assert "pattern" in json.dumps(server_schema(schema, []))


def test_patterns_go_to_servers_without_non_capturing_groups() -> None:
    """llama-cpp-python's converter rejects ``(?:`` and then constrains nothing: every pattern
    sent has plain groups instead, matching the same strings."""
    from summarizer.pipeline.restated import sentences_model

    schema = sentences_model(2).model_json_schema()
    for rules in (False, True):
        sent = server_schema(schema, string_rules=rules)
        assert "(?:" not in json.dumps(sent)
        pattern = sent["properties"]["s1"]["pattern"]
        assert re.fullmatch(pattern, "Die Inflation lag bei 6.8 Prozent.")
        assert not re.fullmatch(pattern, "Zwei Sätze. Nicht einer.")
    assert server_pattern(r"^(?:a|\(?:b)$") == r"^(a|\(?:b)$"  # an escaped one stays
