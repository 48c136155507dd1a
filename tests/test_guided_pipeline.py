"""The guided pipeline behind a server (a small model on llama-server or vLLM gets the same
decomposition as in process): two calls - the entities, then the chosen sentences restated -
with the rules' quotes, sources and events, and the restated sentences checked."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from summarizer import summarize
from summarizer.constrained.grammar import string_pattern
from summarizer.constrained.kinds import KIND_KEY
from summarizer.constrained.server import server_pattern
from summarizer.pipeline.restated import SENTENCE_CHARS
from summarizer.providers.probe import SENTINEL
from summarizer.testing.fake_openai import (
    Action,
    FakeOpenAIServer,
    Reply,
    Respond,
    compliant,
    probe_schema,
)
from tests import payloads

ENTITIES = [
    {"name": "Kim Jong Un", "type": "person", "description": "Machthaber Nordkoreas"},
    {"name": "Sergej Schoigu", "type": "person", "description": "Sekretär"},
]


def _restated(body: dict[str, Any], sentence: str) -> dict[str, Any]:
    """A reply to the restate call: the same short sentence for every numbered slot."""
    schema = body["response_format"]["json_schema"]["schema"]
    slots = [name for name in schema["properties"] if name.startswith("s")]
    return {**dict.fromkeys(slots, sentence), "headline": "Kim sagt Russland Unterstützung zu"}


def _guided(
    server: FakeOpenAIServer,
    article: str,
    restate: Callable[[dict[str, Any]], dict[str, Any]],
    output_language: str | None = None,
) -> Any:
    """``article`` summarized by the guided pipeline behind the fake server: two entities,
    then ``restate`` answering every restate call."""
    server.script("SummaryDraft", Reply({"entities": ENTITIES}))
    server.always("Restated", Respond(restate))
    return summarize(
        article,
        output_language=output_language,
        provider="openai",
        base_url=server.base_url,
        api_key="sk-test",
        mode="json_schema",
        constrain=True,
        guided=True,
    )


PLEDGE = "Kim Jong Un hat Russland bedingungslose Unterstützung zugesichert."


def test_a_server_gets_the_decomposition_and_the_rules_fill_the_records(
    server: FakeOpenAIServer, article: str
) -> None:
    result = _guided(server, article, lambda body: _restated(body, PLEDGE))
    names = [json.dumps(r["response_format"]["json_schema"]["name"]) for r in server.requests]
    assert names == ['"SummaryDraft"', '"Restated"']
    draft_schema = server.requests[0]["response_format"]["json_schema"]["schema"]
    assert list(draft_schema["properties"]) == ["entities"]  # the rest is the rules'
    assert result.headline == "Nordkorea unterstützt Moskau „bedingungslos“"  # the publisher's
    assert {"KCNA", "Tass"} <= {s.name for s in result.sources}
    pledge = next(q for q in result.quotes if q.text == "bedingungslose Unterstützung")
    assert pledge.speaker == "Kim Jong Un"
    drone = next(e for e in result.events if "Drohnenangriff" in e.evidence.text)
    assert (drone.event_type, drone.fatalities, drone.injured) == ("attack", 5, None)


def test_a_restated_sentence_its_source_does_not_state_gives_way_to_the_source(
    server: FakeOpenAIServer, article: str
) -> None:
    """The server's model writes the same pledge for every sentence: wherever that is not what
    the sentence says, the article's sentence is kept and the repair recorded."""
    result = _guided(server, article, lambda body: _restated(body, PLEDGE))
    drone = next(e for e in result.events if "Drohnenangriff" in e.evidence.text)
    assert drone.description == drone.evidence.text + "."
    assert "mindestens fünf Menschen getötet" in result.summary
    assert result.metadata is not None
    repaired = [i for i in result.metadata.issues if (i.where or "").startswith("condense.")]
    assert repaired and all(i.kind == "unsupported" for i in repaired)


LEAD = "Nordkoreas Machthaber Kim Jong Un hat Russland im Krieg gegen die Ukraine"


def test_other_language_output_restates_in_the_articles_language_then_translates(
    server: FakeOpenAIServer, article: str
) -> None:
    """English output: the sentences are restated in German (checked as in German output),
    then translated one call each - the lead as written, the article's headline in a call of
    its own, no article in any. Every first translation copies German; asked again, only the
    lead is translated: its translation is used, what stays German is left out and flagged."""
    german = "Kim Jong Un hat Russland bei einem Treffen bedingungslose Unterstützung zugesichert."
    english = (
        "North Korean leader Kim Jong Un pledged Russia unconditional support in the war "
        "against Ukraine, state media reported."
    )

    def translate(body: dict[str, Any]) -> dict[str, Any]:
        again = len(body["messages"]) > 2
        lead = LEAD in body["messages"][1]["content"]
        return {"translation": english if again and lead else german}

    server.always("Translated", Respond(translate))
    result = _guided(server, article, lambda body: _restated(body, PLEDGE), output_language="en")
    names = [r["response_format"]["json_schema"]["name"] for r in server.requests]
    assert names[:2] == ["SummaryDraft", "Restated"]
    asked = [r["messages"][1]["content"] for r in server.requests[2:]]
    assert len(asked) >= 4 and set(names[2:]) == {"Translated"}
    assert any(f"Deutsch): {LEAD}" in text for text in asked)  # the lead as written
    assert not any("Pjöngjang/Moskau" in text or "BEGIN ARTICLE" in text for text in asked)
    assert any("Deutsch): Nordkorea unterstützt Moskau „bedingungslos“" in t for t in asked)
    feedback = [r["messages"][-1]["content"] for r in server.requests if len(r["messages"]) > 2]
    assert feedback and all(text.startswith("That is not English.") for text in feedback)
    assert result.summary == english
    assert result.metadata is not None
    flagged = [i for i in result.metadata.issues if (i.where or "").startswith("translate.")]
    assert flagged and all(i.kind == "wrong_language" for i in flagged)


def test_a_translation_its_source_sentence_does_not_support_is_left_out(
    server: FakeOpenAIServer, article: str
) -> None:
    """A fluent English sentence about something else (here the pledge for every sentence)
    is checked against the article sentence it translates: only the lead's stays."""
    english = (
        "North Korea's Kim Jong Un pledged unconditional support to Russia in the war against "
        "Ukraine."
    )
    server.always("Translated", Respond(lambda body: {"translation": english}))
    result = _guided(server, article, lambda body: _restated(body, PLEDGE), output_language="en")
    assert result.summary == english
    drone = next(e for e in result.events if "Drohnenangriff" in e.evidence.text)
    assert drone.description != english  # made from the event's fields instead
    assert result.metadata is not None
    assert any(
        i.kind == "unsupported" and (i.where or "").startswith("translate.")
        for i in result.metadata.issues
    )


def test_translation_faults_of_the_embedded_model_are_caught() -> None:
    """Real translations by the embedded model: a direction reversed ("Gewinn bricht ein" as
    "profit rises") and a country changed ("southern Peru" -> "Südsüdafrika") are wrong; a
    figure dropped ("1,9 Milliarden") is incomplete; the country's adjective ("North Korean")
    leaves out nothing."""
    from summarizer.datamodel.request import ArticleRequest
    from summarizer.pipeline.translation import figures_left_out, translation_fault

    profit = (
        "Der Betriebsgewinn sank im Vergleich zum Vorjahreszeitraum um 41 Prozent auf "
        "1,9 Milliarden Euro, wie das Unternehmen am Dienstag mitteilte."
    )
    to_english = ArticleRequest(text=profit, language="de", output_language="en")
    said = "The company's operating profit fell by 41 percent compared to the previous year"
    dropped = f"{said}, the company said on Tuesday."
    kept = f"{said} to 1.9 billion euros, the company said on Tuesday."
    assert translation_fault(dropped, profit, profit, to_english, frozenset()) is None
    assert figures_left_out(dropped, profit, to_english)
    assert not figures_left_out(kept, profit, to_english)
    assert translation_fault(kept, profit, profit, to_english, frozenset()) is None
    rose = kept.replace("fell", "rose")
    assert translation_fault(rose, profit, profit, to_english, frozenset()) == "unsupported"

    quake = (
        "A magnitude 6.8 earthquake struck southern Peru early on Sunday, killing twelve people."
    )
    to_german = ArticleRequest(text=quake, language="en", output_language="de")
    moved = "Ein Erdbeben der Stärke 6,8 traf am Sonntag Südsüdafrika und tötete zwölf Menschen."
    assert translation_fault(moved, quake, quake, to_german, frozenset()) == "unsupported"
    right = "Ein Erdbeben der Stärke 6,8 traf am Sonntag den Süden Perus und tötete zwölf Menschen."
    assert translation_fault(right, quake, quake, to_german, frozenset()) is None

    lead = "Nordkoreas Machthaber Kim Jong Un hat Russland Unterstützung im Krieg zugesichert."
    request = ArticleRequest(text=lead, language="de", output_language="en")
    english = "North Korean leader Kim Jong Un has pledged Russia support in the war."
    assert translation_fault(english, lead, lead, request, frozenset()) is None


def test_an_article_word_is_no_figure_and_a_translation_may_be_as_short_as_its_original() -> None:
    """Two translations of the reference article the checks had refused: "ein Abkommen" was
    read as the figure 1 that "an agreement" leaves out, and a five-word translation of a
    six-word sentence was called a fragment."""
    from summarizer.datamodel.request import ArticleRequest
    from summarizer.pipeline.translation import translation_fault

    pact = (
        "Im vergangenen Jahr hatten Russland und Nordkorea ein Abkommen über eine „umfassende "
        "strategische Partnerschaft“ geschlossen, das auch eine Klausel zur gegenseitigen "
        "Verteidigung enthält."
    )
    request = ArticleRequest(text=pact, language="de", output_language="en")
    signed = (
        "Russia and North Korea have signed a comprehensive strategic partnership agreement, "
        "which also includes a clause on mutual defense."
    )
    assert translation_fault(signed, pact, pact, request, frozenset()) is None

    source = "Nach den Drohnenangriffen kündigte Moskau erneut eine Reaktion an."
    restated = "Moskau kündigte erneut eine Reaktion an."
    request = ArticleRequest(text=source, language="de", output_language="en")
    short = "Moscow announced a reaction again."
    assert translation_fault(short, restated, source, request, frozenset()) is None
    assert translation_fault("Moscow reaction.", restated, source, request, frozenset())


def test_a_sentence_is_cut_in_halves_at_its_middle_comma_and_joined_again() -> None:
    from summarizer.pipeline.translation import _joined, halves

    sentence = (
        "Astronomers using the James Webb Space Telescope have detected water vapour on a "
        "rocky planet 48 light years from Earth, a team led by the University of Geneva "
        "reported in the journal Nature on Tuesday."
    )
    first, second = halves(sentence) or ("", "")
    assert first.endswith("from Earth,") and second.startswith("a team led by")
    assert halves("Kim traf Schoigu, sagte KCNA.") is None  # a half of two words
    assert halves("Kim traf Schoigu in Pjöngjang.") is None
    assert _joined("Astronomen fanden Wasser.", "Ein Team berichtete.", second) == (
        "Astronomen fanden Wasser, ein Team berichtete."
    )
    # a name or a German noun keeps its capital
    lund = "Henrik Lund sagte das."
    assert _joined("Es ist ein Signal.", lund, "said Henrik Lund.") == (
        "Es ist ein Signal, Henrik Lund sagte das."
    )
    win = "Russia would win the war."
    assert _joined("Kim said so.", win, "dass Russland siegen werde.") == (
        "Kim said so, Russia would win the war."
    )


def test_a_translation_with_words_of_the_models_own_says_more_than_its_original() -> None:
    """The first half of a reference-article sentence, translated alone, completed with a
    clause the article does not have."""
    from summarizer.pipeline.translation import says_more

    half = (
        "Kim habe bei einem Treffen mit dem Sekretär des Nationalen Sicherheitsrats Russlands, "
        "Sergej Schoigu, in Pjöngjang zudem „die Erwartung und Überzeugung“ geäußert,"
    )
    invented = (
        "Kim expressed the expectation and confidence at a meeting with the Secretary-General "
        "of the Russian National Security Council in Pjöngjang, Sergej Schoigu, by saying that "
        "he would not be able to attend the meeting due to the threat of a cyber attack."
    )
    faithful = (
        "At a meeting with the secretary of Russia's National Security Council, Sergei Shoigu, "
        "in Pyongyang, Kim also expressed 'expectation and conviction'."
    )
    assert says_more(invented, half) and not says_more(faithful, half)
    assert not says_more("Moscow announced a reaction again.", "Moskau kündigte an.")


def test_a_translation_that_drops_a_figure_is_translated_again_in_halves(
    server: FakeOpenAIServer,
) -> None:
    """The whole sentence's translation leaves out "1,9 Milliarden"; its halves, translated
    one call each, keep it, and their join is taken. Where the halves fail too, the first
    translation stays (incomplete, not wrong) and nothing is flagged."""
    import asyncio

    from summarizer.datamodel.request import ArticleRequest
    from summarizer.datamodel.settings import load_settings
    from summarizer.pipeline.translation import translated
    from summarizer.providers.registry import make_backend

    profit = (
        "Der Betriebsgewinn sank im Vergleich zum Vorjahreszeitraum um 41 Prozent auf "
        "1,9 Milliarden Euro, wie das Unternehmen am Dienstag mitteilte."
    )
    replies = {
        profit: "The operating profit fell by 41 percent, the company said on Tuesday.",
        "Der Betriebsgewinn sank im Vergleich zum Vorjahreszeitraum um 41 Prozent auf "
        "1,9 Milliarden Euro,": "The operating profit fell by 41 percent to 1.9 billion euros.",
        "wie das Unternehmen am Dienstag mitteilte.": "The company said on Tuesday.",
    }

    server.always("Translated", Respond(payloads.translations(replies)))
    settings = load_settings(
        provider="openai", base_url=server.base_url, api_key="sk-test", mode="json_schema"
    )
    request = ArticleRequest(text=profit, language="de", output_language="en")

    def run() -> tuple[list[str], set[int]]:
        backend = make_backend(settings)
        texts, _, _, flagged = asyncio.run(
            translated(request, [profit], [profit], "", frozenset(), backend, settings)
        )
        return texts, flagged

    texts, flagged = run()
    assert len(server.requests) == 3 and not flagged
    assert texts == [
        "The operating profit fell by 41 percent to 1.9 billion euros, the company said on Tuesday."
    ]
    replies["wie das Unternehmen am Dienstag mitteilte."] = "The company in France said so."
    texts, flagged = run()
    assert texts == [replies[profit]] and not flagged


def test_a_number_split_after_its_separator_is_joined_the_output_languages_way() -> None:
    from summarizer.pipeline.translation import joined_numbers

    assert joined_numbers("About 1, 200 left", "Rund 1.200 gingen", "de", "en") == (
        "About 1,200 left"
    )
    assert joined_numbers("auf 2, 25 Prozent", "to 2.25 percent", "en", "de") == (
        "auf 2,25 Prozent"
    )
    assert joined_numbers("Rund 1, 200", "About 1,200", "en", "de") == "Rund 1.200"
    # a list or a year before a figure is not one number
    assert joined_numbers("In 2019, 34 died", "2019 starben 34", "de", "en") == ("In 2019, 34 died")


def test_in_the_articles_language_the_summary_opens_with_the_lead_as_written(
    server: FakeOpenAIServer, article: str
) -> None:
    """The restated lead (here the pledge alone) gives way to the lead itself, dateline off."""
    result = _guided(server, article, lambda body: _restated(body, PLEDGE))
    assert result.summary.startswith(
        "Nordkoreas Machthaber Kim Jong Un hat Russland im Krieg gegen die Ukraine"
    )
    assert "Pjöngjang/Moskau" not in result.summary


def test_a_long_lead_or_one_in_the_other_language_is_restated() -> None:
    from summarizer.datamodel.request import ArticleRequest
    from summarizer.pipeline.guided import LEAD_AS_WRITTEN_WORDS, _lead_as_written

    lead = "Berlin – Der Bundestag hat den Haushalt beschlossen"
    german = ArticleRequest(text=lead, language="de", output_language="de")
    assert _lead_as_written(german, lead) == "Der Bundestag hat den Haushalt beschlossen."
    long = "Der Bundestag hat " + "sehr " * LEAD_AS_WRITTEN_WORDS + "lange beraten."
    assert _lead_as_written(german, long) is None
    english = ArticleRequest(text=lead, language="de", output_language="en")
    assert _lead_as_written(english, lead) is None


def test_a_long_sentence_that_does_not_fit_does_not_stop_shorter_ones_after_it() -> None:
    from summarizer.pipeline.guided import _within

    long = "A long sentence " + "with many words " * 30 + "ends here."
    assert _within(120, ["Lead sentence.", long, "Short one.", "Lead sentence."]) == (
        "Lead sentence. Short one."
    )
    assert _within(10, [long]) == long  # the lead is always said


def _strings(node: Any) -> list[dict[str, Any]]:
    """Every string subschema in ``node``."""
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    if not isinstance(node, dict):
        return []
    found = [node] if node.get("type") == "string" else []
    return found + [s for value in node.values() for s in _strings(value)]


def test_mode_auto_serves_a_server_that_honours_the_constraints_as_in_process(
    server: FakeOpenAIServer, article: str
) -> None:
    """A server whose probe finds enum, pattern, maxLength and anyOf constrained (the fake
    server's default family, as vLLM or llama-server) gets the guided pipeline and the
    in-process model's string rules in every schema, with no setting given."""
    server.script("SummaryDraft", Reply({"entities": ENTITIES}))
    server.always("Restated", Respond(lambda body: _restated(body, PLEDGE)))
    result = summarize(article, provider="openai", base_url=server.base_url, api_key="sk-test")
    names = [r["response_format"]["json_schema"]["name"] for r in server.requests]
    assert names == ["SummaryDraft", "Restated"]
    assert result.metadata is not None and result.metadata.mode == "json_schema"
    assert result.metadata.llm_calls == 2
    restated = server.requests[1]["response_format"]["json_schema"]["schema"]
    # The sentence the in-process grammar bounds, exactly; no declaration leaks to the server.
    slot = {"type": "string", "maxLength": SENTENCE_CHARS, "x-summarizer-kind": "sentence"}
    assert restated["properties"]["s1"]["pattern"] == server_pattern(string_pattern(slot))
    assert restated["additionalProperties"] is False
    sent = [server.requests[0]["response_format"], server.requests[1]["response_format"]]
    assert KIND_KEY not in json.dumps(sent)
    strings = _strings(sent)
    assert strings and all("enum" in s or s["pattern"].startswith("^") for s in strings)
    drone = next(e for e in result.events if "Drohnenangriff" in e.evidence.text)
    assert (drone.event_type, drone.fatalities, drone.injured) == ("attack", 5, None)


def test_a_server_that_ignores_patterns_gets_the_full_schemas(
    server: FakeOpenAIServer, article: str
) -> None:
    """Where a pattern is accepted but not followed, per-article constraints would bound
    nothing: the server gets the one-call-per-task full schemas, as before."""

    def ignores_patterns(body: dict[str, Any]) -> Action:
        schema = probe_schema(body) or {}
        if "code" in schema.get("properties", {}):
            return Reply({"word": SENTINEL, "code": "hello"})
        return compliant(body)

    server.probe_policy = ignores_patterns
    server.script("SummaryDraft", Reply(payloads.draft()))
    server.script("EventList", Reply(payloads.events()))
    result = summarize(article, provider="openai", base_url=server.base_url, api_key="sk-test")
    names = sorted(r["response_format"]["json_schema"]["name"] for r in server.requests)
    assert names == ["EventList", "SummaryDraft"]
    draft = server.requests_for("SummaryDraft")[0]["response_format"]["json_schema"]["schema"]
    assert "key_points" in draft["properties"]  # the full draft, not the entities alone
    assert result.key_points and result.events


def test_a_sentence_naming_a_country_the_article_never_names_is_not_supported() -> None:
    """The lexical support check lets one wrong word pass; a country is never that word: the
    embedded model translated "in der Region Poltawa" as "in the region of Poland"."""
    from summarizer.datamodel.request import ArticleRequest
    from summarizer.pipeline.restated import sentence_fault

    source = (
        "Zwei weitere Todesopfer wurden nach einem russischen Angriff auf ein Trainingsgelände "
        "in der Region Poltawa gemeldet."
    )
    request = ArticleRequest(text=source, language="de", output_language="en")
    said = "Two more deaths were reported after a Russian attack on a training area in the region"
    assert sentence_fault(f"{said} of Poltawa.", source, request, frozenset()) is None
    assert sentence_fault(f"{said} of Poland.", source, request, frozenset()) == "unsupported"


def test_countries_are_read_from_runs_of_capitalized_words() -> None:
    from summarizer.text.countries import countries_in

    assert countries_in("Kim met Schoigu in Pjöngjang, South Korea.") == {"KR"}
    assert countries_in("the U.S. Geological Survey and Russlands Krieg") == {"US", "RU"}
    # adjectives and compounds name no country
    assert countries_in("North Korean and Russian media, der US-Senat") == frozenset()


def test_a_country_is_kept_by_its_name_or_an_adjective_built_on_it() -> None:
    from summarizer.text.countries import countries_left_out

    assert countries_left_out("Russland und Frankreich", "Russian and French troops") == set()
    assert countries_left_out("The U.S. Senate", "Der US-Senat") == set()
    assert countries_left_out("Nordkoreas Machthaber", "The North Korean leader") == set()
    assert countries_left_out("in Deutschland und Peru", "in German towns") == {"PE"}
    assert countries_left_out("southern Peru", "Südsüdafrika") == {"PE"}


def _translated_by(
    monkeypatch: pytest.MonkeyPatch, english: Callable[[str], str]
) -> dict[str, Any]:
    """The guided pipeline's translate step replaced: each original "translated" by
    ``english``; what it was asked is filled into the dict returned."""
    from summarizer.pipeline import guided

    asked: dict[str, Any] = {}

    async def translated(
        request: Any,
        sources: list[str],
        originals: list[str],
        headline: str,
        names: Any,
        backend: Any,
        settings: Any,
        gate: Any = None,
        instead: Any = None,
    ) -> tuple[list[str], str, Any, set[int]]:
        asked.update(sources=sources, originals=originals, instead=instead or {})
        return [english(o) for o in originals], "", guided.CallReport(), set()

    monkeypatch.setattr(guided, "translated", translated)
    return asked


def test_the_other_language_says_the_topics_chosen_in_the_articles_language(
    server: FakeOpenAIServer, article: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """English output of the reference article: each summary topic is translated as written
    where it is not long, and the summary says the topics the German summary says, whatever
    its translations' lengths - here each two thirds longer than its original, which a cap on
    the translations would have cut by a topic or more."""
    from summarizer.pipeline.guided import LEAD_AS_WRITTEN_WORDS, SUMMARY_CHARS

    asked = _translated_by(
        monkeypatch, lambda o: f"In English {len(o)}: " + "word " * (len(o) // 3)
    )
    german = _guided(server, article, lambda body: _restated(body, PLEDGE))
    english = _guided(server, article, lambda body: _restated(body, PLEDGE), output_language="en")
    sources, originals = asked["sources"], asked["originals"]
    topics = [i for i, o in enumerate(originals) if o.rstrip(".") in german.summary]
    assert len(topics) >= 3  # the German summary's sentences, as written
    for index in topics:
        assert len(sources[index].split()) <= LEAD_AS_WRITTEN_WORDS
        assert originals[index].rstrip(".") in " ".join(sources[index].split())
        assert index in asked["instead"]  # its restatement, should its translation fail
    assert english.summary.count("In English ") == len(topics)
    assert len(english.summary) > SUMMARY_CHARS


def test_a_sentence_too_long_for_a_key_point_is_said_by_none(
    server: FakeOpenAIServer, article: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A translation longer than a key point or an event's description may be (a long article
    sentence, kept where its restatement failed, runs longer in translation): no key point,
    summary sentence or description says it (the drone attack's description is made from its
    fields), and the summary still comes back."""
    from summarizer.datamodel.types import SENTENCE_MAX_CHARS

    def english(original: str) -> str:
        words = "Drone attack killed five. " * (SENTENCE_MAX_CHARS // 20)
        return words if "Drohnenangriff" in original else f"In English: {original}"

    _translated_by(monkeypatch, english)
    result = _guided(server, article, lambda body: _restated(body, PLEDGE), output_language="en")
    drone = next(e for e in result.events if "Drohnenangriff" in e.evidence.text)
    assert len(drone.description) <= SENTENCE_MAX_CHARS
    assert "Drone attack killed five." not in drone.description
    assert result.summary and "Drone attack" not in result.summary
    assert all("Drone attack" not in point.text for point in result.key_points)
