"""Events across articles: dates resolved against publication, places across languages,
consolidation (story seeds and edge cases), and the exports analysts load."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.datamodel.schemas import (
    ArticleSummary,
    BatchRecord,
    EventRecord,
    EvidenceSpan,
    Location,
)
from summarizer.dataset.acled import ACLED_COLUMNS, acled_rows
from summarizer.dataset.consolidate import Consolidated, consolidate
from summarizer.dataset.dates import resolve
from summarizer.dataset.mentions import Mention
from summarizer.evals.stories import load_stories, predicted_events, score
from summarizer.text.places import place_key, same_place

WEDNESDAY = date(2025, 3, 5)


@pytest.mark.parametrize(
    ("text", "resolved"),
    [
        ("am Dienstag", (date(2025, 3, 4), "day")),
        ("Tuesday's drone strike", (date(2025, 3, 4), "day")),
        ("in der Nacht zum Sonntag", (date(2025, 3, 2), "day")),
        ("gestern", (date(2025, 3, 4), "day")),
        ("vorgestern", (date(2025, 3, 3), "day")),
        ("overnight", (WEDNESDAY, "day")),
        ("am 13.02.2025", (date(2025, 2, 13), "day")),
        ("on March 1", (date(2025, 3, 1), "day")),
        ("am 13. März", (date(2024, 3, 13), "day")),  # no year: the latest not after publication
        ("im Februar", (date(2025, 2, 1), "month")),
        ("the weekend crackdown", (date(2025, 3, 1), "week")),
        ("no time words", (WEDNESDAY, "published")),
    ],
)
def test_time_words_resolve_against_the_publication_date(text: str, resolved: tuple) -> None:
    assert resolve([text], WEDNESDAY) == resolved


def test_places_compare_across_languages_and_spellings() -> None:
    assert place_key("Charkiw") == place_key("Kharkiv") == "kharkiv"
    assert place_key("Tiflis") == place_key("Tbilisi")
    assert place_key("Deutschland") == place_key("Germany")
    assert place_key("Caravelí") == "caraveli"
    assert same_place("terekhov", "terechow") or same_place("zaporizhzhia", "saporischschja")
    assert not same_place(place_key("Odesa"), place_key("Kharkiv"))


def _mention(article: str, place: str, published: date, text: str, kind: str = "attack") -> Mention:
    event = EventRecord(
        event_type=kind,
        description=text,
        location=Location(place=place, country="Ukraine"),
        evidence=EvidenceSpan(text=text, start=0, end=len(text)),
    )
    return Mention.of(article, "en", published, 0, event)


def test_one_event_in_two_languages_is_one_and_other_places_or_days_are_not() -> None:
    night = date(2025, 3, 4)
    same = [
        _mention("de", "Charkiw", night, "In der Nacht wurden in Charkiw fünf Menschen getötet."),
        _mention("en", "Kharkiv", night, "A drone attack in Kharkiv killed five overnight."),
    ]
    elsewhere = _mention("odesa", "Odesa", night, "Drones struck Odesa overnight.")
    later = _mention("week", "Kharkiv", date(2025, 3, 11), "Drones hit Kharkiv overnight.")
    other_type = _mention("fire", "Kharkiv", night, "A fire broke out in Kharkiv.", "disaster")
    events = consolidate([*same, elsewhere, later, other_type])
    groups = sorted(sorted(str(m["article"]) for m in e.mentions) for e in events)
    assert groups == [["de", "en"], ["fire"], ["odesa"], ["week"]]


def test_the_story_seeds_cluster_on_oracle_events() -> None:
    articles = load_stories()
    assert len(articles) >= 12 and len({e["cluster"] for a in articles for e in a.events}) >= 6
    report = score(articles, predicted_events(articles, None))
    assert report["bcubed_f1"] >= 0.95
    assert report["claim_range_accuracy"] >= 0.9  # the claim reader on the gold evidence


def _results_file(tmp_path: Path) -> Path:
    """A batch results file of the story seeds' oracle events (as a batch run writes it)."""
    articles = load_stories()
    events = predicted_events(articles, None)
    lines = []
    for article in articles:
        summary = ArticleSummary(
            language=article.language,
            output_language=article.language,
            headline="h",
            summary="s.",
            events=events[article.id],
        )
        record = BatchRecord(id=article.id, status="ok", date=article.published, summary=summary)
        lines.append(record.to_json_line())
    path = tmp_path / "results.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_from_batch_results_to_an_acled_csv_pandas_reads(tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    results = _results_file(tmp_path)
    consolidated = tmp_path / "events.jsonl"
    done = CliRunner().invoke(app, ["events", "consolidate", str(results), "-o", str(consolidated)])
    assert done.exit_code == 0, done.stderr
    assert "19 event records of 19 articles -> 10 events" in done.stderr
    csv_path = tmp_path / "events.csv"
    done = CliRunner().invoke(
        app, ["events", "export", str(consolidated), "-f", "acled-csv", "-o", str(csv_path)]
    )
    assert done.exit_code == 0, done.stderr
    frame = pandas.read_csv(csv_path, parse_dates=["event_date"])
    assert list(frame.columns[:4]) == ["event_id_cnty", "event_date", "year", "time_precision"]
    assert str(frame["event_date"].dtype).startswith("datetime64")
    for column in ("year", "time_precision", "geo_precision", "fatalities"):
        assert str(frame[column].dtype) == "int64", column
    assert list(frame.columns) == ACLED_COLUMNS and len(ACLED_COLUMNS) == 31
    kharkiv = frame[frame["location"] == "Kharkiv"].iloc[0]
    assert kharkiv["country"] == "Ukraine" and kharkiv["disorder_type"] == "Political violence"
    assert kharkiv["event_type"] == "Explosions/Remote violence"
    assert kharkiv["sub_event_type"] == "Air/drone strike"
    assert kharkiv["fatalities"] == 5  # the lowest figure claimed (5, at least 5, 6)
    assert "sources disagree" in kharkiv["notes"]
    assert set(frame["time_precision"]) <= {1, 2, 3}
    protests = frame[frame["event_type"] == "Protests"]
    assert set(protests["sub_event_type"]) == {"Protest with intervention"}  # arrests claimed


def test_gdelt_rows_and_parquet(tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    results = _results_file(tmp_path)
    consolidated = tmp_path / "events.jsonl"
    CliRunner().invoke(app, ["events", "consolidate", str(results), "-o", str(consolidated)])
    tsv = tmp_path / "events.tsv"
    done = CliRunner().invoke(
        app, ["events", "export", str(consolidated), "-f", "gdelt-tsv", "-o", str(tsv)]
    )
    assert done.exit_code == 0, done.stderr
    rows = pandas.read_csv(tsv, sep="\t", dtype={"SQLDATE": str, "EventCode": str})
    assert len(rows) == 19  # one row per mention
    strike = rows[rows["SOURCEURL"] == "s1b_kharkiv_en"].iloc[0]
    assert strike["EventCode"] == "195" and strike["SQLDATE"] == "20250304"
    text = (Path(__file__).parent.parent / "evals" / "stories" / "s1b_kharkiv_en.txt").read_text()
    start, end = int(strike["MentionCharOffsetStart"]), int(strike["MentionCharOffsetEnd"])
    assert text[start:end].startswith("A Russian drone attack")
    parquet = tmp_path / "events.parquet"
    CliRunner().invoke(
        app, ["events", "export", str(consolidated), "-f", "parquet", "-o", str(parquet)]
    )
    import pyarrow.parquet as pq

    schema = pq.read_schema(parquet)
    assert str(schema.field("date").type) == "date32[day]"
    assert str(schema.field("fatalities").type) == "int64"
    assert str(schema.field("mentions").type).startswith("list<element: struct<article: string")
    table = pandas.read_parquet(parquet)
    assert len(table) == 10
    kharkiv = table[table["place"] == "Kharkiv"].iloc[0]
    assert kharkiv["fatalities"] == 5 and len(kharkiv["mentions"]) == 3
    assert kharkiv["mentions"][0]["evidence"]["start"] >= 0
    assert (parquet.stat().st_mode & 0o777) == 0o600


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    done = CliRunner().invoke(app, ["events", "consolidate", str(bad), "-o", str(tmp_path / "o")])
    assert done.exit_code == 2 and "not a batch record" in done.stderr


def test_the_feed_is_the_story_seeds() -> None:
    """``evals/stories/feed.jsonl`` (what ``summarizer batch`` reads) holds the seed texts as
    they are, with their publication dates."""
    feed = Path(__file__).parent.parent / "evals" / "stories" / "feed.jsonl"
    lines = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    articles = {a.id: a for a in load_stories()}
    assert [line["id"] for line in lines] == list(articles)
    for line in lines:
        article = articles[line["id"]]
        assert line["text"] == article.text and line["date"] == article.published


def test_stories_score_from_a_batch_results_file(tmp_path: Path) -> None:
    results = _results_file(tmp_path)
    done = CliRunner().invoke(app, ["eval", "stories", "--predictions", str(results)])
    assert done.exit_code == 0, done.stderr
    assert "bcubed_f1              1.0" in done.stdout


# -- issue 25: merges, figures, stable ids, bad input ----------------------------------------


def _record(article: str, text: str, published: str, **fields: object) -> tuple[str, BatchRecord]:
    event = EventRecord(
        event_type=fields.pop("event_type", "attack"),  # type: ignore[arg-type]
        description=text,
        location=Location(place="Kharkiv", country="Ukraine"),
        evidence=EvidenceSpan(text=text, start=0, end=len(text)),
        **fields,  # type: ignore[arg-type]
    )
    summary = ArticleSummary(
        language="en", output_language="en", headline="h", summary="s.", events=[event]
    )
    return article, BatchRecord(id=article, status="ok", date=published, summary=summary)


def _write(path: Path, records: list[tuple[str, BatchRecord]]) -> Path:
    path.write_text("".join(r.to_json_line() for _, r in records), encoding="utf-8")
    return path


def _consolidate(tmp_path: Path, results: Path, *extra: str) -> tuple[object, list[dict]]:
    out = tmp_path / "out" / "events.jsonl"
    done = CliRunner().invoke(app, ["events", "consolidate", str(results), "-o", str(out), *extra])
    events = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    return done, events


def test_a_record_s_own_resolved_date_is_used_not_its_time_words_again() -> None:
    """A strike "on Monday of last week", resolved by the record to 2025-03-03, published on
    Monday 2025-03-10: re-resolving "Monday" would date it 03-10 and merge it with that day's
    strike at the same place."""
    text_old = "A drone strike on Monday of last week hit Kharkiv."
    text_new = "A drone strike on Monday hit Kharkiv."
    monday = date(2025, 3, 10)

    def mention(article: str, text: str, resolved: str | None) -> Mention:
        event = EventRecord(
            event_type="attack",
            description=text,
            location=Location(place="Kharkiv", country="Ukraine"),
            time={"text": "on Monday", "date": resolved},  # type: ignore[arg-type]
            evidence=EvidenceSpan(text=text, start=0, end=len(text)),
        )
        return Mention.of(article, "en", monday, 0, event)

    old, new = mention("a", text_old, "2025-03-03"), mention("b", text_new, None)
    assert old.date == date(2025, 3, 3) and new.date == monday
    assert len(consolidate([old, new])) == 2


def test_figures_come_from_the_fields_when_a_record_has_no_claims(tmp_path: Path) -> None:
    results = _write(
        tmp_path / "r.jsonl",
        [_record("a", "A strike on Kharkiv killed 7.", "2025-03-04", fatalities=7, injured=3)],
    )
    done, events = _consolidate(tmp_path, results)
    assert done.exit_code == 0, done.stderr  # type: ignore[attr-defined]
    assert events[0]["figures"]["killed"]["min"] == 7
    assert events[0]["figures"]["injured"]["max"] == 3


def test_ids_are_the_same_in_any_input_order_and_kept_across_runs(tmp_path: Path) -> None:
    records = [
        _record(
            f"a{n}", f"A drone strike hit Kharkiv on March {4 * n + 1}.", f"2025-03-{4 * n + 1:02d}"
        )
        for n in range(6)  # four days apart: six events
    ]
    forward = _write(tmp_path / "f.jsonl", records)
    backward = _write(tmp_path / "b.jsonl", records[::-1])
    _, first = _consolidate(tmp_path, forward)
    _, second = _consolidate(tmp_path, backward)
    assert [e["id"] for e in first] == [e["id"] for e in second]
    assert len({e["id"] for e in first}) == 6
    # An earlier dataset whose ids were given otherwise: its ids are kept, none renumbered.
    previous = tmp_path / "previous.jsonl"
    renamed = [{**e, "id": f"OLD{n}"} for n, e in enumerate(first)]
    previous.write_text("".join(json.dumps(e) + "\n" for e in renamed), encoding="utf-8")
    more = _write(
        tmp_path / "more.jsonl",
        [*records, _record("new", "A drone strike hit Kharkiv on March 30.", "2025-03-30")],
    )
    done, updated = _consolidate(tmp_path, more, "--previous", str(previous))
    assert done.exit_code == 0, done.stderr  # type: ignore[attr-defined]
    ids = {e["mentions"][0]["article"]: e["id"] for e in updated}
    assert {ids[f"a{n}"] for n in range(6)} == {f"OLD{n}" for n in range(6)}
    assert ids["new"].startswith("E") and "6 ids kept" in done.stderr  # type: ignore[attr-defined]


def test_a_results_file_given_twice_counts_each_article_once(tmp_path: Path) -> None:
    records = [_record("a", "A strike on Kharkiv killed 7.", "2025-03-04", fatalities=7)]
    twice = _write(tmp_path / "twice.jsonl", records + records)
    done, events = _consolidate(tmp_path, twice)
    assert done.exit_code == 0
    assert len(events) == 1 and events[0]["figures"]["killed"]["claims"] == 1
    assert "1 repeated article ids" in done.stderr  # type: ignore[attr-defined]


def test_no_events_error_records_and_bad_outputs_are_named(tmp_path: Path) -> None:
    runner = CliRunner()
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    failed = BatchRecord.model_validate(
        {"id": "x", "status": "error", "error": {"type": "InputError", "message": "too short"}}
    )
    only_errors = _write(tmp_path / "errors.jsonl", [("x", failed)])
    for path in (empty, only_errors):
        done = runner.invoke(app, ["events", "consolidate", str(path), "-o", str(tmp_path / "o")])
        assert done.exit_code == 5 and "no events" in done.stderr
        assert not (tmp_path / "o").exists()
    assert (
        "1 error records"
        in runner.invoke(
            app, ["events", "consolidate", str(only_errors), "-o", str(tmp_path / "o")]
        ).stderr
    )
    good = _write(tmp_path / "good.jsonl", [_record("a", "A strike hit Kharkiv.", "2025-03-04")])
    same = runner.invoke(app, ["events", "consolidate", str(good), "-o", str(good)])
    assert same.exit_code == 2 and "also an input" in same.stderr
    assert good.read_text(encoding="utf-8").startswith("{")  # untouched
    folder = runner.invoke(app, ["events", "consolidate", str(good), "-o", str(tmp_path)])
    assert folder.exit_code == 2 and "is a directory" in folder.stderr
    binary = tmp_path / "latin1.jsonl"
    binary.write_bytes("Straße\n".encode("latin-1"))
    done = runner.invoke(app, ["events", "consolidate", str(binary), "-o", str(tmp_path / "o")])
    assert done.exit_code == 2 and "not UTF-8" in done.stderr
    events = tmp_path / "events.jsonl"
    runner.invoke(app, ["events", "consolidate", str(good), "-o", str(events)])
    wrong = json.loads(events.read_text(encoding="utf-8"))
    wrong["event_type"] = "picnic"
    typed = tmp_path / "typed.jsonl"
    typed.write_text(json.dumps(wrong) + "\n", encoding="utf-8")
    for fmt in ("acled-csv", "gdelt-tsv"):
        done = runner.invoke(
            app, ["events", "export", str(typed), "-f", fmt, "-o", str(tmp_path / "x")]
        )
        assert done.exit_code == 2 and "not a consolidated event" in done.stderr


@pytest.mark.parametrize(
    ("kind", "description", "targets", "figures", "expected"),
    [
        (
            "attack",
            "Russian artillery shelling hit the town.",
            [],
            {},
            ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ),
        (
            "attack",
            "Missiles struck the port.",
            [],
            {},
            ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ),
        (
            "attack",
            "A suicide car bomb exploded at a checkpoint.",
            [],
            {},
            ("Explosions/Remote violence", "Suicide bomb"),
        ),
        (
            "attack",
            "A drone strike hit a power plant.",
            [],
            {},
            ("Explosions/Remote violence", "Air/drone strike"),
        ),
        ("attack", "A bomb threat closed the station.", [], {}, None),
        (
            "attack",
            "Militants killed four soldiers at a base.",
            ["soldiers"],
            {},
            ("Battles", "Armed clash"),
        ),
        (
            "attack",
            "Gunmen killed three villagers.",
            ["villagers"],
            {},
            ("Violence against civilians", "Attack"),
        ),
        (
            "protest",
            "Police killed two protesters.",
            ["protesters"],
            {"killed": {"min": 2, "max": 2, "claims": 1}},
            ("Protests", "Excessive force against protesters"),
        ),
        (
            "protest",
            "Rioters looted shops in the centre.",
            [],
            {},
            ("Riots", "Violent demonstration"),
        ),
        (
            "protest",
            "Police used tear gas on the march.",
            [],
            {},
            ("Protests", "Protest with intervention"),
        ),
    ],
)
def test_the_acled_crosswalk_follows_acled_s_definitions(
    kind: str, description: str, targets: list[str], figures: dict, expected: tuple | None
) -> None:
    event = Consolidated(
        id="E1",
        event_type=kind,
        date="2025-03-04",
        date_precision="day",
        place="x",
        country="y",
        actors=["police"] if kind == "protest" else ["militants"],
        mentions=[{"article": "a", "description": description}],
        figures=figures,
        targets=targets,
    )
    rows, skipped = acled_rows([event], timestamp=1)
    if expected is None:
        assert rows == [] and skipped == 1
        return
    assert (rows[0]["event_type"], rows[0]["sub_event_type"]) == expected
    assert set(rows[0]) == set(ACLED_COLUMNS) and rows[0]["timestamp"] == 1
    if expected[1] == "Excessive force against protesters":
        assert rows[0]["inter1"] == 1 and rows[0]["inter2"] == 6 and rows[0]["interaction"] == 16
    if expected[0] == "Violence against civilians":
        assert rows[0]["civilian_targeting"] == "Civilian targeting"


def test_cameo_codes_for_shelling_bombings_and_threats() -> None:
    from summarizer.dataset.exports import cameo_code

    def event(description: str) -> Consolidated:
        return Consolidated(
            id="E1",
            event_type="attack",
            date="2025-03-04",
            date_precision="day",
            place=None,
            country=None,
            actors=[],
            mentions=[{"article": "a", "description": description}],
        )

    assert cameo_code(event("Artillery shelling hit the town.")) == "194"
    assert cameo_code(event("A drone strike hit the plant.")) == "195"
    assert cameo_code(event("A car bomb exploded at the market.")) == "183"
    assert cameo_code(event("A bomb threat closed the station.")) is None


def test_a_results_file_is_read_line_by_line_even_with_unicode_line_separators(
    tmp_path: Path,
) -> None:
    from summarizer.dataset.records import read_mentions

    path = _results_file(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    record["summary"]["summary"] = "One paragraph\u2028and another."  # JSON keeps U+2028 raw
    lines[0] = json.dumps(record, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read = read_mentions(path)
    assert read.articles == 19 and read.errors == 0
