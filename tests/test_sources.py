"""The article's sources by rules: institutions that decide or estimate what the article
reports, the journal it cites, abbreviations with dots; a country or generic state media next to
the agency it names are not sources."""

from __future__ import annotations

from summarizer.datamodel.types import Language
from summarizer.text.lexicon import article_names
from summarizer.text.sources import article_sources


def sources(text: str, language: Language) -> dict[str, str]:
    return {n: t.value for n, t in article_sources(text, language, article_names(text, language))}


def test_german_institutions_that_decide_or_deny() -> None:
    text = (
        "Eine Klausel im Mietvertrag ist unwirksam. Das hat der Bundesgerichtshof (BGH) am "
        "Mittwoch entschieden. Berichte über Sabotage wies die Deutsche Bahn zurück."
    )
    expected = {"Bundesgerichtshof": "government", "Deutsche Bahn": "organization"}
    assert sources(text, "de") == expected


def test_a_country_that_decided_is_no_source() -> None:
    assert sources("Das hat die Ukraine am Montag entschieden.", "de") == {}


def test_english_estimates_rulings_journals_and_dotted_abbreviations() -> None:
    text = (
        "The Court of Appeal on Wednesday quashed the permission. The Congressional Budget "
        "Office put the cost at $312 billion. The quake was centred near the coast, according "
        "to the U.S. Geological Survey. The team reported in the journal Nature on Tuesday."
    )
    assert sources(text, "en") == {
        "Court of Appeal": "government",
        "Congressional Budget Office": "government",
        "U.S. Geological Survey": "government",
        "Nature": "media",
    }


def test_state_media_named_with_their_agency_count_once() -> None:
    text = (
        "Kim hat Russland Staatsmedien zufolge Hilfe zugesichert. Das berichtete die "
        "staatliche Nachrichtenagentur KCNA."
    )
    assert sources(text, "de") == {"KCNA": "news_agency"}
