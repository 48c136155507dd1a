"""The paths a user hits when something is wrong (issue 26): no secret printed, no failure
misnamed, no junk summarized. Each test asserts the message, the exit code, and that the key
appears nowhere: not in stdout, stderr, the cache or any written file."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer import (
    ArgumentTypeError,
    ConfigurationError,
    EndpointError,
    InputError,
    summarize,
)
from summarizer.cli import app
from summarizer.datamodel.settings import load_settings
from summarizer.providers.probe import server_report
from summarizer.testing.fake_openai import (
    Action,
    FakeOpenAIServer,
    Hang,
    Raw,
    Reply,
    Status,
    compliant,
)
from tests import payloads
from tests.conftest import ROOT, SEED_ARTICLE

KEY = "sk-proj-ECHOED-secret-91c4d2e7"
ECHO_401 = f"Incorrect API key provided: {KEY}. You can find your API key at platform."
runner = CliRunner()


def no_key_anywhere(tmp_path: Path, *outputs: str) -> None:
    for text in outputs:
        assert KEY not in text
        assert KEY[:12] not in text  # not even its start
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def env_for(server: FakeOpenAIServer, tmp_path: Path) -> dict[str, str]:
    return {
        "OPENAI_API_KEY": KEY,
        "OPENAI_BASE_URL": server.base_url,
        "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache"),
        "SUMMARIZER_BACKOFF_INITIAL_S": "0.01",
        "SUMMARIZER_BACKOFF_MAX_S": "0.05",
    }


# -- security -------------------------------------------------------------------------------


def test_probe_never_prints_a_key_the_server_echoes(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    server.probe_policy = lambda body: Status(401, ECHO_401)
    result = runner.invoke(app, ["probe"], env=env_for(server, tmp_path))
    assert result.exit_code == 1
    assert "invalid API key" in result.stderr and "OPENAI_API_KEY" in result.stderr
    assert len(server.probes) == 1  # a rejected key ends the probe at once
    no_key_anywhere(tmp_path, result.stdout, result.stderr)
    assert not (tmp_path / "cache" / "probes").exists()  # nothing cached


def test_probe_details_of_a_rejected_mechanism_are_masked(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    def echoes_on_schemas(body: dict[str, Any]) -> Action:
        if body.get("response_format", {}).get("type") == "json_schema":
            return Status(400, f"response_format unsupported for key {KEY}")
        return compliant(body)

    server.probe_policy = echoes_on_schemas
    result = runner.invoke(app, ["probe"], env=env_for(server, tmp_path))
    assert result.exit_code == 0, result.stderr
    assert "json_schema          rejected" in result.stdout and "***" in result.stdout
    no_key_anywhere(tmp_path, result.stdout, result.stderr)


def test_the_python_api_logs_no_key_without_any_logging_setup(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    """instructor logs every failed attempt with the exception's text; Python's last-resort
    handler prints it to stderr when the caller configured no logging."""
    server.always(None, Status(401, ECHO_401))
    code = (
        "import sys\n"
        "from summarizer import summarize, AuthenticationError\n"
        "try:\n"
        f"    summarize(open({str(SEED_ARTICLE)!r}).read(), provider='openai', mode='tools',\n"
        f"              base_url={server.base_url!r}, api_key={KEY!r})\n"
        "except AuthenticationError as exc:\n"
        "    print('caught:', exc, repr(exc.__cause__), repr(exc.__context__))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache")},
        cwd=ROOT,
    )
    assert "caught: invalid API key" in done.stdout, done.stderr
    no_key_anywhere(tmp_path, done.stdout, done.stderr)


def test_an_error_raised_to_the_caller_carries_no_key(server: FakeOpenAIServer) -> None:
    server.always(None, Status(400, f"bad request from key {KEY}"))
    with pytest.raises(EndpointError) as raised:
        summarize(
            SEED_ARTICLE.read_text(encoding="utf-8"),
            provider="openai",
            mode="tools",
            base_url=server.base_url,
            api_key=KEY,
        )
    chain = [raised.value, raised.value.__cause__, raised.value.__context__]
    for error in chain:
        assert KEY not in str(error)
        assert KEY not in repr(getattr(error, "body", ""))


# -- failures misnamed ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (401, "invalid API key"),
        (403, "access denied"),
        (404, "check the model name"),
    ],
)
def test_mode_auto_names_a_rejected_key_or_an_unknown_model(
    server: FakeOpenAIServer, tmp_path: Path, status: int, message: str
) -> None:
    server.probe_policy = lambda body: Status(status, ECHO_401)
    result = runner.invoke(app, ["summarize", str(SEED_ARTICLE)], env=env_for(server, tmp_path))
    assert result.exit_code == 1
    assert message in result.stderr
    assert "no usable structured output" not in result.stderr
    assert not (tmp_path / "cache" / "probes").exists()
    no_key_anywhere(tmp_path, result.stdout, result.stderr)


def test_a_transient_fault_while_probing_is_retried_not_taken_for_a_rejection(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    first = {"json_schema": True}

    def once_busy(body: dict[str, Any]) -> Action:
        if body.get("response_format", {}).get("type") == "json_schema" and first["json_schema"]:
            first["json_schema"] = False
            return Status(429, "slow down")
        return compliant(body)

    server.probe_policy = once_busy
    settings = load_settings(
        provider="openai", base_url=server.base_url, api_key=KEY, cache_dir=tmp_path / "cache"
    )
    report = server_report(settings)
    assert report.mechanisms["json_schema"].outcome == "constrains"
    assert report.mode is not None and report.mode.value == "json_schema"
    assert list((tmp_path / "cache" / "probes").iterdir())  # a complete probe is cached


def test_a_persistent_transient_fault_leaves_the_mechanism_unknown_and_caches_nothing(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    def overloaded_schemas(body: dict[str, Any]) -> Action:
        if body.get("response_format", {}).get("type") == "json_schema":
            return Status(503, "overloaded")
        return compliant(body)

    server.probe_policy = overloaded_schemas
    settings = load_settings(
        provider="openai",
        base_url=server.base_url,
        api_key=KEY,
        cache_dir=tmp_path / "cache",
        backoff_initial_s=0.01,
    )
    report = server_report(settings)
    assert report.mechanisms["json_schema"].outcome == "unknown"  # never "rejected"
    assert report.mode is not None and report.mode.value == "tools"  # this run only
    assert not (tmp_path / "cache" / "probes").exists()
    server.probe_policy = compliant  # the server recovered: the next run probes again
    assert server_report(settings).mode.value == "json_schema"  # type: ignore[union-attr]


def test_a_probe_that_only_saw_faults_says_so(server: FakeOpenAIServer, tmp_path: Path) -> None:
    server.probe_policy = lambda body: Status(503, "overloaded")
    env = {**env_for(server, tmp_path), "SUMMARIZER_BACKOFF_INITIAL_S": "0.01"}
    result = runner.invoke(app, ["summarize", str(SEED_ARTICLE)], env=env)
    assert result.exit_code == 1
    assert "kept failing while it was probed" in result.stderr and "HTTP 503" in result.stderr
    assert "no usable structured output" not in result.stderr
    assert not (tmp_path / "cache" / "probes").exists()


@pytest.mark.parametrize("url", ["localhost:8080/v1", "127.0.0.1:8080", "not a url"])
def test_a_base_url_without_a_scheme_is_an_invalid_setting(tmp_path: Path, url: str) -> None:
    result = runner.invoke(
        app, ["summarize", str(SEED_ARTICLE), "--base-url", url, "--provider", "openai"]
    )
    assert result.exit_code == 2
    assert "not an http(s) URL" in result.stderr and "http://" in result.stderr
    with pytest.raises(ConfigurationError, match="add the scheme"):
        load_settings(base_url=url)


def test_a_refused_connection_says_what_to_check(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["summarize", str(SEED_ARTICLE), "--base-url", "http://127.0.0.1:9/v1"],
        env={"SUMMARIZER_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert result.exit_code == 1
    assert "could not connect to http://127.0.0.1:9/v1" in result.stderr
    assert "is the server running" in result.stderr


def test_a_timed_out_request_is_not_sent_again_and_the_message_names_the_setting(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    server.always("SummaryDraft", Hang())
    server.always("EventList", Reply(payloads.events()))
    env = {**env_for(server, tmp_path), "SUMMARIZER_TIMEOUT_S": "0.5"}
    result = runner.invoke(app, ["summarize", str(SEED_ARTICLE), "--mode", "tools"], env=env)
    assert result.exit_code == 1
    assert "did not answer within 0.5 s" in result.stderr
    assert "SUMMARIZER_TIMEOUT_S" in result.stderr
    assert len(server.requests_for("SummaryDraft")) == 1  # not queued a second time


def test_the_default_timeout_fits_a_server_on_this_machine() -> None:
    nearby = ["http://127.0.0.1:8080/v1", "http://localhost:11434/v1", "http://192.168.1.5/v1"]
    for url in nearby:
        assert load_settings(base_url=url).resolved_timeout_s >= 600
    assert load_settings(base_url="https://api.example.com/v1").resolved_timeout_s == 120
    assert load_settings(base_url=nearby[0], timeout_s=30).resolved_timeout_s == 30


@pytest.mark.parametrize(
    ("reply", "shown"),
    [
        (Raw(b"<html><body>502 Bad Gateway</body></html>"), "text/html"),
        (Raw(b'{"id": "chatcmpl-1", "choi', "application/json"), "application/json"),
    ],
    ids=["proxy HTML page", "truncated JSON"],
)
@pytest.mark.parametrize("mode", ["tools", "json_schema", "auto"])
def test_a_reply_that_is_no_chat_completion_is_an_endpoint_error(
    server: FakeOpenAIServer, tmp_path: Path, reply: Raw, shown: str, mode: str
) -> None:
    server.always(None, reply)
    server.probe_policy = lambda body: reply
    result = runner.invoke(
        app, ["summarize", str(SEED_ARTICLE), "--mode", mode], env=env_for(server, tmp_path)
    )
    assert result.exit_code == 1
    assert "not a chat completion" in result.stderr and shown in result.stderr
    assert "internal error" not in result.stderr
    assert len(server.requests) <= 2  # one per call: neither retried nor re-asked
    no_key_anywhere(tmp_path, result.stdout, result.stderr)


def test_batch_rerun_exits_4_while_error_records_remain(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    server.always("SummaryDraft", Reply(payloads.draft()))
    server.always("EventList", Reply(payloads.events()))
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "good.txt").write_text(SEED_ARTICLE.read_text(encoding="utf-8"), "utf-8")
    (articles / "short.txt").write_text("zu kurz", encoding="utf-8")
    out = tmp_path / "new" / "folder" / "results.jsonl"
    command = ["batch", str(articles), "-o", str(out), "--mode", "tools"]
    first = runner.invoke(app, command, env=env_for(server, tmp_path))
    assert first.exit_code == 4 and out.is_file()  # the missing folder was made
    again = runner.invoke(app, command, env=env_for(server, tmp_path))
    assert again.exit_code == 4
    assert "1 article(s)" in again.stderr and "--retry-failed" in again.stderr
    no_key_anywhere(tmp_path, first.stderr, again.stderr)


def test_an_unsupported_language_tells_how_to_declare_one_where_it_can_be() -> None:
    french = (
        "Le gouvernement français a annoncé mardi un nouveau plan pour réduire la dette "
        "publique. Le ministre des Finances a déclaré que les dépenses seraient réduites de "
        "dix milliards d'euros l'année prochaine, selon un communiqué publié à Paris."
    )
    with pytest.raises(InputError) as detected:
        summarize(french, provider="lead")
    assert "looks like language 'fr'" in str(detected.value)
    assert '"language" field in a batch JSONL record' in str(detected.value)
    with pytest.raises(InputError) as declared:
        summarize(SEED_ARTICLE.read_text(encoding="utf-8"), provider="lead", language="xx")
    assert "language 'xx' is not supported" in str(declared.value)
    assert "looks like" not in str(declared.value)


# -- junk in --------------------------------------------------------------------------------

LOGIN_PAGE = """<!doctype html><html><head><title>Sign in - Example News</title></head><body>
<form action="/login" method="post"><h1>Sign in to continue reading</h1>
<label>Email <input type="email" name="email"></label>
<label>Password <input type="password" name="password"></label>
<button>Sign in</button><a href="/forgot">Forgot your password?</a></form></body></html>"""
SCRIPT_PAGE = """<!doctype html><html><head><title>Example News</title>
<script src="/app.js"></script></head><body><div id="root"></div>
<noscript>You need to enable JavaScript to run this app. Please turn on JavaScript in your
browser settings and reload the page.</noscript></body></html>"""


@pytest.mark.parametrize(
    ("page", "named"),
    [(LOGIN_PAGE, "a login page"), (SCRIPT_PAGE, "only with JavaScript")],
    ids=["login", "javascript"],
)
def test_a_page_with_no_article_is_an_input_error(tmp_path: Path, page: str, named: str) -> None:
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    result = runner.invoke(app, ["summarize", str(path), "--provider", "lead"])
    assert result.exit_code == 2
    assert named in result.stderr and "not an article" in result.stderr
    assert result.stdout == ""


def test_a_gzipped_page_is_read_and_other_archives_are_named(tmp_path: Path) -> None:
    paragraphs = SEED_ARTICLE.read_text(encoding="utf-8").split("\n\n")
    source = (
        "<!doctype html><html><body><article>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article></body></html>"
    ).encode()
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(source))
    result = runner.invoke(app, ["summarize", str(packed), "--provider", "lead", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert "Kim Jong Un" in json.loads(result.stdout)["summary"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", SEED_ARTICLE.read_text(encoding="utf-8"))
    zipped = tmp_path / "a.zip"
    zipped.write_bytes(buffer.getvalue())
    refused = runner.invoke(app, ["summarize", str(zipped), "--provider", "lead"])
    assert refused.exit_code == 2
    assert "compressed file (zip)" in refused.stderr and "binary" not in refused.stderr


@pytest.mark.parametrize("value", [None, 123, 4.5, ["text"]])
def test_the_python_api_names_a_wrongly_typed_text(value: Any) -> None:
    with pytest.raises(ArgumentTypeError, match="text must be the article as str") as raised:
        summarize(value, provider="lead")
    assert isinstance(raised.value, TypeError) and isinstance(raised.value, InputError)


def test_the_python_api_reads_a_path_and_bytes_like_the_cli(tmp_path: Path) -> None:
    from_path = summarize(SEED_ARTICLE, provider="lead")
    from_bytes = summarize(SEED_ARTICLE.read_bytes(), provider="lead")
    from_text = summarize(SEED_ARTICLE.read_text(encoding="utf-8"), provider="lead")
    assert from_path.summary == from_bytes.summary == from_text.summary
    with pytest.raises(InputError, match="no such file"):
        summarize(tmp_path / "missing.txt", provider="lead")


def test_the_python_api_refuses_bad_languages_and_unknown_keywords() -> None:
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    with pytest.raises(InputError, match="output_language must be 'de' or 'en', not 'fr'"):
        summarize(text, provider="lead", output_language="fr")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match=r"unknown setting 'temprature'.*'temperature'"):
        summarize(text, provider="lead", temprature=0.5)
    with pytest.raises(ArgumentTypeError, match="title must be a str"):
        summarize(text, provider="lead", title=5)  # type: ignore[arg-type]
