"""Per-article constrained response models (the small-model path)."""

from __future__ import annotations

import json
import re

import pytest
from pydantic import ValidationError

from summarizer.core.constrained import CAPS, article_sentences, constrained_models, quoted_passages
from summarizer.core.responses import SummaryDraft
from summarizer.providers.grammar import schema_to_gbnf
from tests import payloads


def test_sentences_are_verbatim_modulo_whitespace_and_have_no_newlines(article: str) -> None:
    sentences = article_sentences(article)
    assert payloads.DRONE_SENTENCE in sentences
    flat_article = " ".join(article.split())
    for sentence in sentences:
        assert "\n" not in sentence and sentence in flat_article


def test_quoted_passages_cover_german_quote_marks(article: str) -> None:
    quotes = quoted_passages(article)
    assert "wie und wann" in quotes and "bedingungslose Unterstützung" in quotes
    assert quoted_passages('He said "stay home" and “go now”.') == ["stay home", "go now"]


def test_schema_offers_only_article_sentences_and_hides_offsets(article: str) -> None:
    schema = constrained_models(article)["summary"].model_json_schema()
    text = json.dumps(schema, ensure_ascii=False)
    evidence = schema["$defs"]["EvidenceSpan"]
    assert payloads.DRONE_SENTENCE in evidence["properties"]["text"]["enum"]
    assert payloads.KIM_SENTENCE not in evidence["properties"]["text"]["enum"]  # a fragment
    assert "start" not in evidence["properties"] and "end" not in evidence["properties"]
    assert schema["title"] == "SummaryDraft"
    assert schema["properties"]["key_points"]["maxItems"] == CAPS["key_points"]
    assert "wie und wann" in text


def test_choices_validate_and_get_offsets_inventions_do_not(article: str) -> None:
    model = constrained_models(article)["summary"]
    sentences = [payloads.DRONE_SENTENCE, *article_sentences(article)[4:6]]  # whole sentences
    whole = payloads.draft(key_points=[{"text": "x", "evidence": {"text": t}} for t in sentences])
    draft = model.model_validate_json(json.dumps(whole), context={"article": article})
    evidence = draft.key_points[0].evidence
    assert article[evidence.start : evidence.end] == evidence.text
    invented = payloads.draft(
        key_points=[{"text": "x", "evidence": {"text": "Kim besuchte Berlin heute Abend."}}]
    )
    with pytest.raises(ValidationError, match=r"literal_error|Input should be"):
        model.model_validate_json(json.dumps(invented), context={"article": article})


def test_grammar_requires_content_and_puts_extraction_before_writing(article: str) -> None:
    schema = constrained_models(article)["summary"].model_json_schema()
    assert list(schema["properties"])[:2] == ["key_points", "entities"]
    assert list(schema["properties"])[-1] == "summary"
    assert schema["properties"]["key_points"]["minItems"] == 3
    events = constrained_models(article)["events"].model_json_schema()
    assert events["properties"]["events"]["minItems"] == 1


def test_article_without_quotes_allows_no_quotes() -> None:
    text = "Der Zug entgleiste am Morgen bei Kassel. Niemand wurde verletzt, sagte die Polizei."
    schema = constrained_models(text)["summary"].model_json_schema()
    assert schema["properties"]["quotes"]["maxItems"] == 0


def test_the_models_own_words_cannot_be_empty(article: str) -> None:
    models = constrained_models(article)
    schema = models["summary"].model_json_schema()
    key_point = schema["$defs"]["KeyPoint"]["properties"]["text"]
    assert key_point["minLength"] == 1
    assert re.search(r"^KeyPoint-text-kv ::= .* char\{1,250\} ", schema_to_gbnf(schema), re.M)
    assert schema["properties"]["headline"]["minLength"] == 1
    event = models["events"].model_json_schema()["$defs"]["EventRecord"]["properties"]
    assert event["description"]["minLength"] == 1
    empty_point = payloads.draft(
        key_points=[{"text": "", "evidence": {"text": payloads.DRONE_SENTENCE}}]
    )
    for model in (models["summary"], SummaryDraft):
        with pytest.raises(ValidationError, match="at least 1 character"):
            model.model_validate_json(json.dumps(empty_point), context={"article": article})
