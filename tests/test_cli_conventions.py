"""What users expect of a CLI (issue 26): a version, completion, ``-v`` anywhere, one style of
argument names, a default stated for every option, a sign of life while a remote reply is
awaited, and a Markdown report that reads in the right order."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from typing import Any

import click
import typer
from typer.testing import CliRunner

from summarizer import __version__
from summarizer.cli import app
from summarizer.cli.progress import Waiting
from summarizer.datamodel.issues import GroundingIssue, IssueAction, IssueKind
from summarizer.render import summary_markdown
from summarizer.testing.fake_openai import FakeOpenAIServer, Reply
from tests import payloads
from tests.conftest import SEED_ARTICLE

runner = CliRunner()


def commands(group: click.Command, path: tuple[str, ...] = ()) -> Iterator[Any]:
    subcommands = getattr(group, "commands", None)
    if not subcommands:
        yield path, group
        return
    for name, command in subcommands.items():
        yield from commands(command, (*path, name))


ROOT_COMMAND = typer.main.get_command(app)


def test_version_and_completion() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"summarizer {__version__}"
    options = runner.invoke(app, ["--help"]).stdout
    assert "--install-completion" in options and "--show-completion" in options


def test_verbose_is_accepted_after_the_subcommand(server: FakeOpenAIServer) -> None:
    args = ["summarize", str(SEED_ARTICLE), "--base-url", server.base_url, "--mode", "tools"]
    for verbose in (["-v", *args], [*args, "-v"], [*args, "--verbose"]):
        server.script("SummaryDraft", Reply(payloads.draft()))
        server.script("EventList", Reply(payloads.events()))
        result = runner.invoke(app, [*verbose, "-f", "markdown"], env={"OPENAI_API_KEY": "sk-x"})
        assert result.exit_code == 0, result.stderr
        assert re.search(r"`\[\d+:\d+\]`", result.stdout)  # -v shows offsets


def test_every_argument_is_named_in_one_style() -> None:
    for path, command in commands(ROOT_COMMAND):
        for param in command.params:
            if isinstance(param, click.Argument):
                assert param.metavar and re.fullmatch(r"[A-Z_]+(\.\.\.)?", param.metavar), (
                    path,
                    param.name,
                    param.metavar,
                )


def test_every_option_states_its_default() -> None:
    for path, command in commands(ROOT_COMMAND):
        context = click.Context(command, info_name=" ".join(path))
        for param in command.params:
            if not isinstance(param, click.Option) or param.name == "help":
                continue
            if param.is_flag or param.required or param.hidden:
                continue
            record = param.get_help_record(context)
            assert record is not None
            assert "default" in record[1].lower(), (path, param.opts, record[1])


def test_provider_help_explains_lead_and_oracle() -> None:
    text = runner.invoke(app, ["summarize", "--help"]).stdout
    flat = " ".join(text.split())
    assert "lead (the first sentences, a baseline)" in flat
    assert "oracle (gold labels, for the eval harness)" in flat


def test_waiting_shows_a_line_after_the_first_second_and_clears_it() -> None:
    stream = io.StringIO()
    waiting = Waiting("summarizing with m at http://x", stream, after_s=0.05, every_s=0.02)
    time.sleep(0.3)
    waiting.close()
    shown = stream.getvalue()
    assert "summarizing with m at http://x ..." in shown and " s" in shown
    assert shown.endswith("\r")  # cleared
    quick = io.StringIO()
    Waiting("x", quick, after_s=5.0).close()
    assert quick.getvalue() == ""  # a fast reply shows nothing


def rendered(server: FakeOpenAIServer, verbose: bool = False) -> str:
    """A summary of the seed article with a live-blog notice, as Markdown."""
    from summarizer import summarize

    server.script("SummaryDraft", Reply(payloads.draft()))
    server.script("EventList", Reply(payloads.events()))
    result = summarize(
        SEED_ARTICLE.read_text(encoding="utf-8"),
        provider="openai",
        base_url=server.base_url,
        mode="tools",
        api_key="sk-x",
    )
    assert result.metadata is not None
    result.metadata.issues.append(
        GroundingIssue(
            kind=IssueKind.many_stories,
            action=IssueAction.flagged,
            detail="the input reads as a live blog or news ticker (9 time-stamped entries)",
        )
    )
    return summary_markdown(result, offsets=verbose)


def test_markdown_reads_key_points_first_and_offsets_only_when_verbose(
    server: FakeOpenAIServer,
) -> None:
    plain, verbose = rendered(server), rendered(server, verbose=True)
    assert plain.index("## Key points") < plain.index("## Summary, sentence by sentence")
    assert not re.search(r"`\[\d+:\d+\]`", plain)
    assert re.search(r"`\[\d+:\d+\]`", verbose)
    assert ".;" not in plain and "killed: 5" in plain
    notes = plain.index("### About the input")
    assert "live blog" in plain[notes:]
    warnings = plain.find("### Warnings")
    assert warnings == -1 or "live blog" not in plain[warnings:]
    if "| role |" in plain:  # a role column only when some entity has a role
        assert "|  |" not in plain
