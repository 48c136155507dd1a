"""The llguidance grammars of the in-process model: what the model can write under them (checked
by feeding whole replies to a matcher over a real vocabulary) and what they force."""

from __future__ import annotations

import json
from typing import Any

import pytest

from summarizer.constrained.grammar import guidance_grammar, prepare_schema
from summarizer.constrained.kinds import (
    KIND_KEY,
    LATIN_SENTENCE_CHAR,
    SENTENCE_CHAR,
    SENTENCE_PATTERN,
)
from summarizer.constrained.models import LENGTHS, constrained_models
from summarizer.grounding.responses import RESPONSE_MODELS
from summarizer.providers.local import grammar_for
from tests.conftest import ROOT

llguidance = pytest.importorskip("llguidance")


def accepts(tokenizer: Any, schema: dict[str, Any], reply: str) -> bool:
    """Whether the grammar of ``schema`` lets a model write exactly ``reply``."""
    matcher = llguidance.LLMatcher(tokenizer, guidance_grammar(schema), log_level=0)
    assert not matcher.is_error(), matcher.get_error()
    return matcher.consume_tokens(tokenizer.tokenize_str(reply)) and matcher.is_accepting()


def test_the_grammar_sentence_character_is_a_validation_sentence_character() -> None:
    import re

    grammar, validation = re.compile(LATIN_SENTENCE_CHAR), re.compile(SENTENCE_CHAR)
    pieces = [chr(c) for c in range(0x2100)] + [f".{d}" for d in range(10)]
    pieces += [f".{chr(c)}." for c in range(0x2100)]
    written = [p for p in pieces if grammar.fullmatch(p)]
    assert len(written) > 500 and ".5" in written and ".S." in written and "." not in written
    assert ". ." not in written and ".ä." not in written
    assert [p for p in written if not validation.fullmatch(p)] == []


def test_every_sentence_field_of_the_constrained_schemas_is_declared(article: str) -> None:
    found: list[dict[str, Any]] = []

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("pattern") == SENTENCE_PATTERN or node.get(KIND_KEY):
                found.append(node)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for model in constrained_models(article, "de").values():
        visit(model.model_json_schema())
    kinds = [node.get(KIND_KEY) for node in found]
    assert "summary" in kinds and "sentence" in kinds and None not in kinds


TEXTS = {
    "type": "object",
    "required": ["name", "point"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 12},
        "point": {"type": "string", "maxLength": 40, "pattern": r"^(?:[^.!?]|\.[0-9])+[.!?]$"},
    },
}


@pytest.fixture
def texts_schema() -> dict[str, Any]:
    schema = json.loads(json.dumps(TEXTS))
    schema["properties"]["point"]["pattern"] = SENTENCE_PATTERN
    schema["properties"]["point"][KIND_KEY] = "sentence"
    return schema


def test_strings_get_our_rules_and_objects_are_closed(texts_schema: dict[str, Any]) -> None:
    prepared = prepare_schema(texts_schema)
    name, point = prepared["properties"]["name"], prepared["properties"]["point"]
    assert "maxLength" not in name and name["pattern"].endswith("{1,12}$")
    assert point["pattern"].startswith("^") and point["pattern"].endswith("[.!?]$")
    assert point["maxLength"] == 40  # a decimal point is two characters in one repetition
    assert KIND_KEY not in point  # read, then taken out: llguidance knows no such key
    assert prepared["additionalProperties"] is False
    undeclared = {"type": "string", "maxLength": 40, "pattern": SENTENCE_PATTERN}
    assert prepare_schema(undeclared) == undeclared  # a pattern alone declares nothing
    dated = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    assert prepare_schema(dated) == dated  # a pattern of its own means the same to both
    choice = {"type": "string", "enum": ['"Go," she said.', "Größe"]}
    assert prepare_schema(choice) == choice


def test_what_the_grammar_lets_the_model_write(
    guidance_tokenizer: Any, texts_schema: dict[str, Any]
) -> None:
    def reply(name: str, point: str, extra: str = "") -> str:
        return f'{{"name": {json.dumps(name, ensure_ascii=False)}, "point": "{point}"{extra}}}'

    assert accepts(guidance_tokenizer, texts_schema, reply("Müller", "Er kam um 6.30 Uhr."))
    assert accepts(guidance_tokenizer, texts_schema, reply("Müller", "Der U.S. Senat kam."))
    refused = {
        "a name past its limit": reply("Abcdefghijklm", "Er kam."),
        "an empty name": reply("", "Er kam."),
        "another script": reply("软件", "Er kam."),
        "a raw newline": reply("A\nB", "Er kam."),
        "a sentence cut mid-word": reply("Kim", "Er ka"),
        "two sentences for one": reply("Kim", "Er kam. Er ging."),
        "two sentences without a space": reply("Kim", "Er kam.Er ging."),
        "decimals past the limit": reply("Kim", "Es waren 1.1 2.2 3.3 4.4 5.5 6.6 7.7 8.8 9.9."),
        "a property not in the schema": reply("Kim", "Er kam.", ', "x": 1'),
        "other whitespace": '{"name":"Kim", "point": "Er kam."}',
    }
    for what, text in refused.items():
        assert not accepts(guidance_tokenizer, texts_schema, text), what


def test_a_summary_is_two_to_four_whole_sentences(guidance_tokenizer: Any, article: str) -> None:
    schema = {
        "type": "object",
        "required": ["summary"],
        "properties": {
            "summary": constrained_models(article, "de")["summary"].model_json_schema()[
                "properties"
            ]["summary"]
        },
    }

    def summary(text: str) -> str:
        return json.dumps({"summary": text}, ensure_ascii=False)

    assert accepts(guidance_tokenizer, schema, summary("Kim sprach. Schoigu hörte zu."))
    long_sentence = "Kim " + "sprach sehr lange " * 20 + "."
    assert len(long_sentence) > LENGTHS["sentence"]
    for bad in ("Kim sprach.", "Eins. Zwei. Drei. Vier. Fünf.", "Kim sprach. Zwei weitere Tote"):
        assert not accepts(guidance_tokenizer, schema, summary(bad)), bad
    assert not accepts(guidance_tokenizer, schema, summary(f"{long_sentence} Kim ging."))


def test_the_structure_is_forced_not_decoded(guidance_tokenizer: Any, article: str) -> None:
    """What jump-forward decoding feeds in batches: keys and separators, and the rest of an
    enum value once its start is unambiguous."""
    schema = constrained_models(article, "de", ids=True)["summary"].model_json_schema()
    matcher = llguidance.LLMatcher(guidance_tokenizer, guidance_grammar(schema), log_level=0)
    forced = guidance_tokenizer.decode_str(matcher.compute_ff_tokens())
    assert forced.startswith('{"key_points": [{"evidence": {"sentence": "S')
    quote = {"type": "string", "enum": ["Wir werden siegen, sagte er laut."]}
    one = {"type": "object", "required": ["q"], "properties": {"q": quote}}
    matcher = llguidance.LLMatcher(guidance_tokenizer, guidance_grammar(one), log_level=0)
    assert guidance_tokenizer.decode_str(matcher.compute_ff_tokens()).startswith('{"q": "Wir')


def test_response_formats_map_to_grammars() -> None:
    schema = {"type": "object", "properties": {"w": {"type": "string"}}}
    label, grammar = grammar_for(
        {"type": "json_schema", "json_schema": {"name": "X", "schema": schema}}
    )
    assert label == "X" and grammar == guidance_grammar(schema)
    assert grammar_for({"type": "json_object"})[1] == guidance_grammar(None)
    assert grammar_for(None) == ("reply", None)  # MD_JSON: free text


def test_every_schema_compiles(guidance_tokenizer: Any) -> None:
    """Every response model, and the constrained ones of every seed and injection article in
    every variant (quotes, umlauts, dashes inside enum values), compiles without warnings."""
    models = list(RESPONSE_MODELS.values())
    articles = [*(ROOT / "seeds").glob("*.txt"), *(ROOT / "evals" / "injection").glob("*.txt")]
    for path in sorted(articles):
        language = "de" if path.stem.endswith("_de") else "en"
        text = path.read_text(encoding="utf-8")
        for extractive in (False, True):
            for ids in (False, True):
                models += constrained_models(text, language, extractive, ids).values()
    for model in models:
        grammar = guidance_grammar(model.model_json_schema())
        error, messages = llguidance.LLMatcher.validate_grammar_with_warnings(
            grammar, guidance_tokenizer
        )
        assert not error and not messages, (model.__name__, messages)
