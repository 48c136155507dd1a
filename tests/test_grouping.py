"""Grouping at scale without wrong merges (issue 25): no chains of daily events, no vague report
that links two towns, fuzzy spellings still one block, any input order the same groups."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from summarizer.datamodel.schemas import EventRecord, EventTime, EvidenceSpan, Location
from summarizer.dataset.consolidate import consolidate
from summarizer.dataset.grouping import _place_ids, group
from summarizer.dataset.mentions import Mention

START = date(2025, 3, 1)


def _report(
    article: str,
    place: str | None,
    day: date,
    actors: tuple[str, ...] = ("Russian forces",),
    country: str = "Ukraine",
) -> Mention:
    text = f"{' and '.join(actors)} struck {place or country} on {day.isoformat()}."
    event = EventRecord(
        event_type="attack",
        description=text,
        actors=list(actors),
        location=Location(place=place, country=country),
        time=EventTime(text=day.isoformat(), date=day.isoformat()),
        evidence=EvidenceSpan(text=text, start=0, end=len(text)),
    )
    return Mention.of(article, "en", day, 0, event)


def _groups(mentions: list[Mention]) -> list[list[str]]:
    return sorted(sorted(mentions[i].article for i in g) for g in group(mentions))


def test_a_town_shelled_every_day_is_one_event_a_day_not_one_chain() -> None:
    days = [START + timedelta(days=n) for n in range(30)]
    mentions = [
        _report(f"{n}{side}", "Kharkiv", day, ()) for n, day in enumerate(days) for side in "ab"
    ]
    groups = _groups(mentions)
    assert len(groups) <= 16  # two days' reports may still be one event (a day's slack) ...
    assert max(len(g) for g in groups) <= 4  # ... but never a month of them
    assert all(len(g) >= 2 for g in groups)  # each day's two reports stay together


def test_a_report_naming_only_the_country_links_no_two_towns() -> None:
    night = START
    kharkiv = [_report("kh1", "Kharkiv", night), _report("kh2", "Charkiw", night)]
    odesa = [_report("od1", "Odesa", night), _report("od2", "Odessa", night)]
    vague = _report("ua", None, night)  # "Russian forces struck Ukraine": which strike?
    assert _groups([*kharkiv, *odesa, vague]) == [["kh1", "kh2"], ["od1", "od2"], ["ua"]]
    # with only one strike it could be, it is that strike's report
    assert _groups([*kharkiv, vague]) == [["kh1", "kh2", "ua"]]
    # but not without an actor in common
    other = _report("ua2", None, night, actors=("Unknown gunmen",))
    assert _groups([*kharkiv, other]) == [["kh1", "kh2"], ["ua2"]]


def test_reports_naming_only_a_country_group_with_each_other() -> None:
    reports = [_report("a", None, START), _report("b", None, START + timedelta(days=1))]
    assert _groups(reports) == [["a", "b"]]
    far = _report("c", None, START + timedelta(days=9))
    assert _groups([*reports, far]) == [["a", "b"], ["c"]]


def test_spelling_variants_share_a_block_and_different_names_do_not() -> None:
    ids = _place_ids(["terekhov", "terechow", "kharkiv", "kavolemi"])
    assert ids["terekhov"] == ids["terechow"]
    assert len({ids["terekhov"], ids["kharkiv"], ids["kavolemi"]}) == 3
    assert _groups([_report("a", "Terekhov", START), _report("b", "Terechow", START)]) == [
        ["a", "b"]
    ]


def test_any_input_order_gives_the_same_events_and_ids() -> None:
    mentions = [
        _report(f"{n}{side}", place, START + timedelta(days=n % 7))
        for n, place in enumerate(["Kharkiv", "Odesa", "Dnipro", None] * 6)
        for side in "ab"
    ]
    expected = {(e.id, len(e.mentions)) for e in consolidate(mentions)}
    for seed in range(3):
        shuffled = mentions[:]
        random.Random(seed).shuffle(shuffled)
        assert {(e.id, len(e.mentions)) for e in consolidate(shuffled)} == expected


def test_duckdb_s_blocking_join_gives_the_same_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    from summarizer.dataset.duckdb_sweep import sweep_in_duckdb

    monkeypatch.syspath_prepend(str(Path(__file__).parent.parent / "benchmarks"))
    from consolidate_scale import synthetic  # the skewed records of the scale benchmark

    mentions, _ = synthetic(3000, dominant=0.9, vague=0.2)
    daily = [
        _report(f"{n}{side}", "Kharkiv", START + timedelta(days=n // 3), ())
        for n in range(60)
        for side in "ab"
    ]
    for sample in (mentions, daily):
        in_memory = group(sample)
        assert group(sample, sweep=sweep_in_duckdb) == in_memory
        assert len(in_memory) < len(sample)  # something was grouped: the comparison means a lot


def test_engine_duckdb_from_the_command_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from summarizer.cli import app
    from tests.test_dataset import _results_file

    pytest.importorskip("duckdb")
    results = _results_file(tmp_path)
    runner = CliRunner()
    outputs = []
    for engine in ("memory", "duckdb"):
        out = tmp_path / f"{engine}.jsonl"
        done = runner.invoke(
            app, ["events", "consolidate", str(results), "-o", str(out), "--engine", engine]
        )
        assert done.exit_code == 0, done.stderr
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1] and outputs[0].count("\n") == 10
