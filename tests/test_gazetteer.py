"""Places on the map, offline (issue 25): the gazetteer, its fields in every export, and the
story seeds' place scores (which junk must fail)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.evals.stories import (
    GEO_KM,
    _place_scores,
    distance_km,
    load_stories,
    predicted_events,
    score,
)
from summarizer.text.gazetteer import locate
from tests.test_dataset import _results_file


def test_one_town_under_its_german_and_english_names() -> None:
    names = [locate("Charkiw", "Ukraine"), locate("Kharkiv", None), locate("Kharkov", "Ukraine")]
    assert len({g.geonameid for g in names}) == 1
    kharkiv = names[0]
    assert kharkiv.geo_precision == 1 and kharkiv.iso == 804 and kharkiv.iso3 == "UKR"
    assert kharkiv.region == "Europe" and kharkiv.location == "Kharkiv"
    assert "Kharkiv" in (kharkiv.admin1 or "")
    assert distance_km((kharkiv.latitude, kharkiv.longitude), (49.99, 36.23)) < 5  # type: ignore[arg-type]
    tbilisi = locate("Tiflis", "Georgien")
    assert tbilisi.location == "Tbilisi" and tbilisi.iso3 == "GEO"
    assert tbilisi.region == "Caucasus and Central Asia"
    munich = locate("München", "Deutschland")
    assert munich.location == "Munich" and munich.admin1 == "Bavaria"


def test_unknown_and_ambiguous_places_stay_empty() -> None:
    unknown = locate("Xyzzyhausen", "Deutschland")
    assert unknown.iso3 == "DEU"  # the country is known
    assert unknown.latitude is None and unknown.geo_precision is None and unknown.admin1 is None
    assert locate("Springfield", None).latitude is None  # many towns, none dominant: no guess
    assert locate("Hamburg", "United States").latitude is None  # five small Hamburgs
    assert locate(None, None).iso is None


def test_a_dominant_town_without_a_country_is_precision_2() -> None:
    hamburg = locate("Hamburg", None)
    assert hamburg.iso3 == "DEU" and hamburg.geo_precision == 2
    assert locate("Hamburg", "Germany").geo_precision == 1


def test_a_region_is_admin1_without_coordinates() -> None:
    bavaria = locate("Bayern", "Deutschland")
    assert bavaria.admin1 == "Bavaria" and bavaria.geo_precision == 3
    assert bavaria.latitude is None and bavaria.longitude is None
    assert locate(None, "Ukraine", "Kharkiv region").geo_precision == 3
    country = locate(None, "Nordkorea")
    assert country.iso3 == "PRK" and country.region == "East Asia"
    assert country.geo_precision is None and country.latitude is None


def test_exports_carry_the_place_on_the_map(tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    consolidated = tmp_path / "events.jsonl"
    runner = CliRunner()
    done = runner.invoke(
        app, ["events", "consolidate", str(_results_file(tmp_path)), "-o", str(consolidated)]
    )
    assert done.exit_code == 0, done.stderr
    paths = {fmt: tmp_path / f"events.{fmt}" for fmt in ("acled-csv", "gdelt-tsv", "parquet")}
    for fmt, path in paths.items():
        arguments = ["events", "export", str(consolidated), "-f", fmt, "-o", str(path)]
        done = runner.invoke(app, arguments)
        assert done.exit_code == 0, done.stderr
    acled = pandas.read_csv(paths["acled-csv"])
    assert str(acled["latitude"].dtype) == "float64" and str(acled["iso"].dtype) == "int64"
    kharkiv = acled[acled["location"] == "Kharkiv"]
    assert len(kharkiv) == 2  # one of them reported in German only ("Charkiw")
    assert set(kharkiv["country"]) == {"Ukraine"} and set(kharkiv["iso"]) == {804}
    assert set(kharkiv["region"]) == {"Europe"} and set(kharkiv["geo_precision"]) == {1}
    assert all("Kharkiv" in a for a in kharkiv["admin1"])
    first = kharkiv.iloc[0]
    assert distance_km((first["latitude"], first["longitude"]), (49.99, 36.23)) < 5
    gdelt = pandas.read_csv(paths["gdelt-tsv"], sep="\t", dtype={"ActionGeo_CountryCode": str})
    strike = gdelt[gdelt["SOURCEURL"] == "s1b_kharkiv_en"].iloc[0]
    assert strike["ActionGeo_Type"] == 4 and strike["ActionGeo_CountryCode"] == "UP"
    assert strike["ActionGeo_FullName"].startswith("Kharkiv, ")
    assert abs(strike["ActionGeo_Lat"] - 49.98) < 0.1
    import pyarrow.parquet as pq

    schema = pq.read_schema(paths["parquet"])
    assert str(schema.field("latitude").type) == "double"
    assert str(schema.field("geo_precision").type) == "int64"
    table = pandas.read_parquet(paths["parquet"])
    assert table["latitude"].notna().sum() == 10  # every story seed's event is a known town
    hallein = table[table["location"] == "Hallein"].iloc[0]  # reported in German only
    assert hallein["country"] == "Austria" and hallein["iso3"] == "AUT"
    assert hallein["admin1"] == "Salzburg" and hallein["iso"] == 40


def test_place_scores_fail_junk() -> None:
    gold = {"latitude": 49.99, "longitude": 36.23, "iso3": "UKR"}
    right = {"iso3": "UKR", "latitude": 49.98, "longitude": 36.25}
    assert _place_scores(gold, right) == (True, True)
    assert _place_scores(gold, None) == (False, False)  # nothing found
    assert _place_scores(gold, {"iso3": "UKR"}) == (True, False)  # a country is no place
    capital = {"iso3": "UKR", "latitude": 50.45, "longitude": 30.52}  # everything in Kyiv
    assert _place_scores(gold, capital) == (True, False)
    namesake = {"iso3": "USA", "latitude": 42.72, "longitude": -78.83}
    assert _place_scores(gold, namesake) == (False, False)
    assert distance_km((49.99, 36.23), (49.99, 36.23 + 0.3)) < GEO_KM < 200


def test_the_story_seeds_are_placed_on_oracle_events() -> None:
    articles = load_stories()
    report = score(articles, predicted_events(articles, None))
    assert report["geo_country_accuracy"] == 1.0
    # S6 happened in Caravelí (not in the gazetteer); two of its three reports name the region
    # Arequipa, whose capital 200 km away is a town of that name: those three miss.
    assert report["geo_point_accuracy"] == round(16 / 19, 4)


def test_towns_the_sentence_names_and_not_its_dateline() -> None:
    from summarizer.text.gazetteer import towns_named

    assert towns_named("A Russian drone attack on an apartment building in Kharkiv") == ["kharkiv"]
    assert towns_named("Angriff auf ein Wohnhaus in der ostukrainischen Stadt Charkiw") == [
        "kharkiv"
    ]
    assert towns_named("KYIV – Drones struck the Ukrainian city of Odesa") == ["odesa"]
    assert towns_named("Das Gesetz tritt im März in Kraft, sagte er in Berlin am Montag") == [
        "berlin"
    ]
    assert towns_named("Police said on Monday") == []  # a town of Poland, but no cue


def test_a_dateline_is_not_where_the_event_happened() -> None:
    from datetime import date

    from summarizer.datamodel.schemas import EventRecord, EvidenceSpan
    from summarizer.dataset.mentions import Mention

    def report(article: str, text: str) -> Mention:
        event = EventRecord(
            event_type="attack",
            description=text,
            evidence=EvidenceSpan(text=text, start=0, end=len(text)),
        )
        return Mention.of(article, "en", date(2025, 3, 4), 0, event)

    kharkiv = report("a", "KYIV – A Russian drone attack on a building in Kharkiv killed five.")
    odesa = report("b", "KYIV – Russian drones struck port infrastructure in the city of Odesa.")
    assert kharkiv.places == ("kharkiv",) and odesa.places == ("odesa",)
    from summarizer.dataset.consolidate import consolidate

    events = consolidate([kharkiv, odesa])
    assert len(events) == 2
    assert {e.geo["location"] for e in events} == {"Kharkiv", "Odesa"}
