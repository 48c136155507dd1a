"""Per-article constrained response models (the small-model path): what the grammar lets the
model choose, and that validation holds the same line."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from summarizer.constrained.models import (
    CAPS,
    constrained_models,
    evidence_sentences,
    passage_ids,
)
from summarizer.grounding.responses import SummaryDraft
from tests import payloads


def values(node: dict[str, Any]) -> list[Any]:
    """The choices of an ``enum`` or a ``const`` (a one-value choice)."""
    return node["enum"] if "enum" in node else [node["const"]]


def summary_schema(article: str, extractive: bool = False) -> dict[str, Any]:
    return constrained_models(article, "de", extractive)["summary"].model_json_schema()


def constrained_draft(**changes: Any) -> dict[str, Any]:
    """The scripted draft (the constrained shape is the same: a summary string)."""
    return payloads.draft(**changes)


def test_sentences_are_verbatim_modulo_whitespace_and_have_no_newlines(article: str) -> None:
    sentences = evidence_sentences(article)
    assert payloads.DRONE_SENTENCE in sentences
    flat_article = " ".join(article.split())
    for sentence in sentences:
        assert "\n" not in sentence and sentence in flat_article


def test_quoted_passages_cover_german_quote_marks(article: str) -> None:
    quotes = list(passage_ids(article).values())
    assert "wie und wann" in quotes and "bedingungslose Unterstützung" in quotes
    assert passage_ids('He said "stay home" and “go now”.') == {"Q1": "stay home", "Q2": "go now"}


def test_schema_offers_only_article_sentences_and_hides_offsets(article: str) -> None:
    schema = summary_schema(article)
    evidence = schema["$defs"]["EvidenceSpan"]
    assert payloads.DRONE_SENTENCE in evidence["properties"]["text"]["enum"]
    assert payloads.KIM_SENTENCE not in evidence["properties"]["text"]["enum"]  # a fragment
    assert "start" not in evidence["properties"] and "end" not in evidence["properties"]
    assert schema["title"] == "SummaryDraft"
    assert schema["properties"]["key_points"]["maxItems"] == CAPS["key_points"]


def test_a_quotes_speaker_is_chosen_from_who_its_sentence_names(article: str) -> None:
    schema = summary_schema(article)
    quotes = [d for name, d in schema["$defs"].items() if name.startswith("Quote")]
    by_text = {values(q["properties"]["text"])[0]: q["properties"]["speaker"] for q in quotes}
    assert list(quotes[0]["properties"])[:2] == ["text", "speaker"]  # the passage first
    assert "Dmitri Peskow" in values(by_text["wie und wann"])
    pledge = values(by_text["bedingungslose Unterstützung"])
    assert any("Kim" in name for name in pledge)
    assert not any("Schoigu" in name for name in pledge)


def test_an_events_figures_and_source_are_chosen_from_its_sentence(article: str) -> None:
    schema = constrained_models(article, "de")["events"].model_json_schema()
    events = [d for name, d in schema["$defs"].items() if name[5:].isdigit()]

    def evidence_of(event: dict[str, Any]) -> list[str]:
        name = event["properties"]["evidence"]["$ref"].split("/")[-1]
        return values(schema["$defs"][name]["properties"]["text"])

    drone = next(e for e in events if payloads.DRONE_SENTENCE in evidence_of(e))
    assert values(drone["properties"]["fatalities"]["anyOf"][0]) == [5]
    reporters = values(drone["properties"]["source_attribution"]["anyOf"][0])
    assert "Behörden" in reporters and "KCNA" not in reporters
    assert next(iter(drone["properties"])) == "evidence"


def test_news_agencies_come_typed(article: str) -> None:
    schema = summary_schema(article)
    agency = schema["$defs"]["AgencySource"]["properties"]
    assert set(values(agency["name"])) >= {"KCNA", "Tass"}
    assert agency["type"]["const"] == "news_agency"
    other = schema["$defs"]["OtherSource"]["properties"]["type"]["enum"]
    assert "news_agency" not in other


def test_choices_validate_and_get_offsets_inventions_do_not(article: str) -> None:
    model = constrained_models(article, "de")["summary"]
    sentences = [payloads.DRONE_SENTENCE, *evidence_sentences(article)[4:6]]  # whole sentences
    points = [{"text": " ".join(t.split()[:8]) + ".", "evidence": {"text": t}} for t in sentences]
    whole = constrained_draft(key_points=points)
    draft = model.model_validate_json(json.dumps(whole), context={"article": article})
    evidence = draft.key_points[0].evidence
    assert article[evidence.start : evidence.end] == evidence.text
    assert draft.summary.startswith("Nordkoreas Machthaber") and draft.summary.endswith(".")
    invented = constrained_draft(
        key_points=[{"text": "x.", "evidence": {"text": "Kim besuchte Berlin heute Abend."}}]
    )
    with pytest.raises(ValidationError, match=r"literal_error|Input should be"):
        model.model_validate_json(json.dumps(invented), context={"article": article})


def test_grammar_requires_content_and_puts_extraction_before_writing(article: str) -> None:
    schema = summary_schema(article)
    assert list(schema["properties"])[:2] == ["key_points", "entities"]
    assert list(schema["properties"])[-1] == "summary"
    assert schema["properties"]["key_points"]["minItems"] == 3
    events = constrained_models(article, "de")["events"].model_json_schema()
    assert events["properties"]["events"]["minItems"] == 1


def test_article_without_quotes_allows_no_quotes() -> None:
    text = "Der Zug entgleiste am Morgen bei Kassel. Niemand wurde verletzt, sagte die Polizei."
    schema = constrained_models(text, "de")["summary"].model_json_schema()
    assert schema["properties"]["quotes"]["maxItems"] == 0


def test_the_models_own_texts_are_bounded_by_sentences_not_cut_mid_word(article: str) -> None:
    # (what the grammar lets the model write: tests/test_guided.py)
    model = constrained_models(article, "de")["summary"]
    for bad in (
        "Russland setzte seine Angriffe fort. Zwei weitere Tote wurden",  # cut off
        "Russland setzte seine Angriffe fort.",  # one sentence only
        "Eins. Zwei. Drei. Vier. Fünf.",  # more than four
    ):
        with pytest.raises(ValidationError, match="should match pattern"):
            model.model_validate_json(
                json.dumps(constrained_draft(summary=bad)), context={"article": article}
            )


def test_the_models_own_words_cannot_be_empty(article: str) -> None:
    models = constrained_models(article, "de")
    schema = models["summary"].model_json_schema()
    key_point = schema["$defs"]["KeyPoint"]["properties"]["text"]
    assert key_point["minLength"] == 1
    assert schema["properties"]["headline"]["minLength"] == 1
    events = models["events"].model_json_schema()["$defs"]
    assert events["Event1"]["properties"]["description"]["minLength"] == 1
    empty_point = constrained_draft(
        key_points=[{"text": "", "evidence": {"text": payloads.DRONE_SENTENCE}}]
    )
    with pytest.raises(ValidationError, match="at least 1 character"):
        models["summary"].model_validate_json(json.dumps(empty_point), context={"article": article})
    plain = payloads.draft(key_points=[{"text": "", "evidence": {"text": payloads.DRONE_SENTENCE}}])
    with pytest.raises(ValidationError, match="at least 1 character"):
        SummaryDraft.model_validate_json(json.dumps(plain), context={"article": article})


def test_the_extractive_variant_picks_sentences(article: str) -> None:
    schema = summary_schema(article, extractive=True)
    assert "text" not in schema["$defs"]["KeyPoint"]["properties"]  # the evidence is the point
    sentences = schema["properties"]["summary_sentences"]["items"]["enum"]
    assert payloads.DRONE_SENTENCE in sentences
    model = constrained_models(article, "de", True)["summary"]
    chosen = [payloads.DRONE_SENTENCE, *evidence_sentences(article)[4:6]]
    draft = constrained_draft(key_points=[{"evidence": {"text": t}} for t in chosen])
    draft["summary_sentences"] = chosen[:2]
    result = model.model_validate_json(json.dumps(draft), context={"article": article})
    assert result.key_points[0].text == payloads.DRONE_SENTENCE
    assert result.summary == f"{chosen[0]} {chosen[1]}"


def test_evidence_and_quotes_by_id(article: str) -> None:
    """The ids variant: the prompt's numbered article marks each evidence sentence with the id
    the schema offers, and an id in a reply becomes the sentence or passage it names."""
    from summarizer.constrained.models import numbered_article, passage_ids, sentence_ids

    ids = sentence_ids(article)
    assert list(ids.values()) == evidence_sentences(article)
    numbered = numbered_article(article)
    for key, sentence in ids.items():
        marked = f"[{key}] {sentence.split()[0]}"
        assert marked in numbered, key
    assert numbered.replace("[", "").count("S") >= len(ids)
    assert numbered.count("\n\n") == article.count("\n\n")  # paragraphs kept
    passages = passage_ids(article)
    assert list(passages) == [f"Q{n}" for n in range(1, len(passages) + 1)]
    models = constrained_models(article, "de", ids=True)
    schema = models["summary"].model_json_schema()
    evidence = schema["$defs"]["EvidenceSpan"]["properties"]
    assert list(evidence) == ["sentence"] and evidence["sentence"]["enum"] == list(ids)
    drone = next(key for key, text in ids.items() if text == payloads.DRONE_SENTENCE)
    quote_id, quote_text = next(iter(passages.items()))
    speaker = schema["$defs"]["Quote1"]["properties"]["speaker"]["enum"][0]
    points = [{"text": "Drohnen trafen Russland.", "evidence": {"sentence": drone}}] * 3
    reply = constrained_draft(key_points=points, quotes=[{"passage": quote_id, "speaker": speaker}])
    draft = models["summary"].model_validate_json(json.dumps(reply))
    assert draft.key_points[0].evidence.text == payloads.DRONE_SENTENCE
    assert draft.quotes[0].text == quote_text
    dumped = draft.model_dump(warnings=False)
    assert "sentence" not in dumped["key_points"][0]["evidence"]  # the id stays internal
    invented = constrained_draft(key_points=[{"text": "x.", "evidence": {"sentence": "S999"}}])
    with pytest.raises(ValidationError, match=r"literal_error|Input should be"):
        models["summary"].model_validate_json(json.dumps(invented))


def test_the_extractive_variant_picks_sentences_by_id(article: str) -> None:
    from summarizer.constrained.models import sentence_ids

    ids = sentence_ids(article)
    model = constrained_models(article, "de", True, True)["summary"]
    first, second = list(ids)[3:5]
    draft = constrained_draft(
        key_points=[{"evidence": {"sentence": k}} for k in list(ids)[:3]], quotes=[]
    )
    draft["summary_sentences"] = [first, second]
    result = model.model_validate_json(json.dumps(draft))
    assert result.summary == f"{ids[first]} {ids[second]}"
    assert result.key_points[0].text == ids["S1"]


def test_what_a_small_model_is_not_asked_to_write(article: str) -> None:
    """Fewer free tokens: no translation of a quote in its own language, no ISO date or
    casualty breakdown to guess, at most three sources."""
    same = constrained_models(article, "de")
    schema = same["summary"].model_json_schema()
    assert "translation" not in schema["$defs"]["Quote1"]["properties"]
    translated = constrained_models(article, "de", translate=True)["summary"].model_json_schema()
    assert "translation" in translated["$defs"]["Quote1"]["properties"]
    assert schema["properties"]["sources"]["maxItems"] == CAPS["sources"]
    events = same["events"].model_json_schema()["$defs"]
    assert list(events["EventTime"]["properties"]) == ["text"]
    assert "casualty_details" not in events["Event1"]["properties"]
