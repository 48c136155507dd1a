"""A translation keeps what its original means beyond names and numbers: the countries in their
roles, each direction; a headline whose translation fails is translated again in its parts."""

from __future__ import annotations

import asyncio
from typing import Any

from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.settings import load_settings
from summarizer.pipeline.headline_translation import headline_parts
from summarizer.pipeline.translation import translated, translation_fault
from summarizer.providers.registry import make_backend
from summarizer.testing.fake_openai import FakeOpenAIServer, Respond
from summarizer.text.countries import countries_made_adjectives
from summarizer.text.direction import loses_direction
from tests import payloads

LEAD = (
    "Nordkoreas Machthaber Kim Jong Un hat Russland im Krieg gegen die Ukraine Staatsmedien "
    "zufolge „bedingungslose Unterstützung“ zugesichert."
)


def test_the_reference_articles_lead_with_its_roles_swapped_is_caught() -> None:
    """The embedded model's translation of the reference article's lead (eval run at
    `8af5227`): Russia, which Kim pledged support to, became the media's adjective, and the
    support went to Ukraine. Every name is kept, so the support check let it pass."""
    request = ArticleRequest(text=LEAD, language="de", output_language="en")
    swapped = (
        "North Korean leader Kim Jong Un has assured Russian media that he will provide "
        "unconditional support to Ukraine in the war."
    )
    assert translation_fault(swapped, LEAD, LEAD, request, frozenset()) == "unsupported"
    right = (
        "North Korean leader Kim Jong Un has pledged unconditional support to Russia in the "
        "war against Ukraine, according to state media."
    )
    assert translation_fault(right, LEAD, LEAD, request, frozenset()) is None


def test_a_country_named_by_its_name_stays_named_a_genitive_may_become_an_adjective() -> None:
    assert countries_made_adjectives("Kim hat Russland Hilfe zugesichert", "Russian aid") == {"RU"}
    assert countries_made_adjectives("Russia sent troops", "russische Truppen") == {"RU"}
    # a genitive, a compound's first part, the name kept
    assert countries_made_adjectives("Nordkoreas Machthaber", "North Korean leader") == set()
    assert countries_made_adjectives("Russia's army", "die russische Armee") == set()
    assert countries_made_adjectives("The U.S. Senate voted", "Der US-Senat stimmte") == set()
    assert countries_made_adjectives("in southern Peru", "im Süden Perus") == set()
    assert countries_made_adjectives("in den USA", "in the United States") == set()


def test_a_translated_headline_keeps_each_direction_and_no_translation_reverses_one() -> None:
    """A headline's part, "Gewinn bricht ein", translated alone "Winning brings in" (the
    embedded model) says nothing of the profit; a sentence's translation may word a direction
    outside the lists, but never states the other one."""
    assert loses_direction("Winning brings in", "Gewinn bricht ein")
    assert not loses_direction("Profit slumps", "Gewinn bricht ein")
    # an original that states none leaves nothing to keep
    assert not loses_direction("Velmar cuts 2,000 jobs", "Velmar streicht zweitausend Stellen")
    # the embedded model's German for "inflation eased": a rise
    eased = "The rate was cut as inflation in the euro zone eased to 2.1 percent in September."
    said = "Der Zins wurde gesenkt, als die Inflation in der Eurozone im September auf 2,1 Prozent"
    rose, fell = f"{said} stieg.", f"{said} sank."
    request = ArticleRequest(text=eased, language="en", output_language="de")
    assert translation_fault(rose, eased, eased, request, frozenset()) == "unsupported"
    assert translation_fault(fell, eased, eased, request, frozenset()) is None


def test_a_headline_is_cut_at_its_first_dash_or_colon_else_its_first_comma() -> None:
    assert headline_parts("Autobauer Velmar streicht zweitausend Stellen – Gewinn bricht ein") == (
        "Autobauer Velmar streicht zweitausend Stellen",
        " – ",
        "Gewinn bricht ein",
    )
    assert headline_parts("Strong quake hits southern Peru, twelve dead") == (
        "Strong quake hits southern Peru",
        ", ",
        "twelve dead",
    )
    assert headline_parts("BGH: Kaution, Reparaturen") == ("BGH", ": ", "Kaution, Reparaturen")
    assert headline_parts("Kim-Jong-Un trifft Schoigu") is None
    assert headline_parts("Nordkorea unterstützt Moskau") is None


def _translated_headline(server: FakeOpenAIServer, headline: str) -> tuple[str, list[Any]]:
    settings = load_settings(
        provider="openai", base_url=server.base_url, api_key="sk-test", mode="json_schema"
    )
    request = ArticleRequest(text=f"{headline}\n\n{LEAD}", language="de", output_language="en")
    _, written, report, _ = asyncio.run(
        translated(request, [LEAD], [LEAD], headline, frozenset(), make_backend(settings), settings)
    )
    return written, report.issues


def test_a_headline_whose_translation_fails_is_translated_again_in_its_parts(
    server: FakeOpenAIServer,
) -> None:
    """The embedded model's translations (reference runs): "Gewinn bricht ein" reversed, then
    alone read as "Winning brings in". The part that passes is the headline; where none
    passes, the headline is empty (the translated lead stands in) and the fault recorded."""
    headline = "Autobauer Velmar streicht zweitausend Stellen – Gewinn bricht ein"
    replies = {
        headline: "Velmar's carmaker cuts 2,000 jobs – profit rises",
        "Autobauer Velmar streicht zweitausend Stellen": "Carmaker Velmar cuts 2,000 jobs",
        "Gewinn bricht ein": "Winning brings in",
        LEAD: "North Korean leader Kim Jong Un has pledged unconditional support to Russia in "
        "the war against Ukraine, according to state media.",
    }

    server.always("Translated", Respond(payloads.translations(replies)))
    written, issues = _translated_headline(server, headline)
    assert written == "Carmaker Velmar cuts 2,000 jobs"
    assert [(i.where, i.action, i.text) for i in issues] == [
        ("headline", "corrected", "Velmar's carmaker cuts 2,000 jobs – profit rises")
    ]
    replies["Autobauer Velmar streicht zweitausend Stellen"] = "Carmaker Velmar in France cuts"
    written, issues = _translated_headline(server, headline)
    assert written == ""
    assert [(i.where, i.kind, i.text) for i in issues] == [
        ("headline", "unsupported", "Velmar's carmaker cuts 2,000 jobs – profit rises")
    ]


def test_a_lead_whose_translation_fails_is_translated_from_its_restatement(
    server: FakeOpenAIServer,
) -> None:
    """The lead as written, translated with its roles swapped (the embedded model's reply);
    the restated lead, a simpler sentence, translated in its place where it passes - else the
    lead stays flagged."""
    restated = "Nordkorea unterstützt Russland im Krieg gegen die Ukraine."
    replies = {
        LEAD: "North Korean leader Kim Jong Un has assured Russian media that he will provide "
        "unconditional support to Ukraine in the war.",
        restated: "North Korea supports Russia in the war against Ukraine.",
    }

    server.always("Translated", Respond(payloads.translations(replies)))
    settings = load_settings(
        provider="openai", base_url=server.base_url, api_key="sk-test", mode="json_schema"
    )
    request = ArticleRequest(text=LEAD, language="de", output_language="en")

    def run() -> tuple[list[str], set[int], list[tuple[str | None, str, str]]]:
        texts, _, report, flagged = asyncio.run(
            translated(
                request,
                [LEAD],
                [LEAD],
                "",
                frozenset(),
                make_backend(settings),
                settings,
                instead={0: restated},
            )
        )
        return texts, flagged, [(i.where, i.action, i.text) for i in report.issues]

    # the restatement's translation is used, and the user is told the lead's was refused
    assert run() == (
        ["North Korea supports Russia in the war against Ukraine."],
        set(),
        [("translate.s1", "corrected", replies[LEAD])],
    )
    replies[restated] = "North Korea supports Ukraine in the war."
    assert run() == ([replies[LEAD]], {0}, [("translate.s1", "flagged", replies[LEAD])])
