"""JSON schema -> llguidance grammar for the in-process model, with our string rules.

llguidance (https://github.com/guidance-ai/llguidance) compiles a JSON schema into a
token-level constraint and tells the decoder which bytes the schema leaves no choice about
(:mod:`summarizer.providers.decoding` feeds those at prefill speed). Before compiling, every
string subschema gets the rule its declaration asks for (:mod:`summarizer.constrained.kinds`):

* **enums and consts** stay as they are (llguidance writes them exactly, escapes included);
* a declared **sentence** or **summary** becomes an anchored pattern of bounded sentences, each
  ending with a sentence mark, so a length limit ends a sentence, never a word;
* a string with a **pattern of its own** (a date) keeps it: it means for llguidance what it
  means for validation;
* **every other string** becomes an anchored pattern of Latin-script characters within its
  length limits: the model cannot drift into another script or write a raw control character;
* **objects** allow no properties beyond their schema (JSON schema allows any by default);
* the declarations themselves are taken out (llguidance knows no such key).

Whitespace is fixed (``", "`` between items, ``": "`` after keys, nothing else), so every
separator is a forced byte.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from typing import Any

from summarizer.constrained.kinds import (
    KIND_KEY,
    LATIN_SENTENCE_CHAR,
    TEXT_CHAR,
    TextKind,
    kind_of,
)
from summarizer.constrained.models import LENGTHS

SENTENCE_END = "[.!?]"
JSON_LAYOUT = {"whitespace_flexible": False, "item_separator": ", ", "key_separator": ": "}


def _sentences(low: int, high: int) -> str:
    return f"{LATIN_SENTENCE_CHAR}{{{low},{high}}}{SENTENCE_END}"


def string_pattern(node: dict[str, Any]) -> str | None:
    """The anchored pattern that replaces a string subschema's pattern and length limits; None
    where the subschema stays as it is (an enum or const, or a pattern of its own)."""
    if "enum" in node or "const" in node:
        return None
    low, high = node.get("minLength", 0), node.get("maxLength")
    kind = kind_of(node)
    if kind is TextKind.summary:
        sentence = _sentences(1, LENGTHS["sentence"] - 1)
        return f"^(?:{sentence} ){{1,3}}{sentence}$"
    if kind is TextKind.sentence:
        top = "" if high is None else str(high - 1)
        return f"^{LATIN_SENTENCE_CHAR}{{{max(low - 1, 0)},{top}}}{SENTENCE_END}$"
    if node.get("pattern") is not None:
        return None
    return f"^{TEXT_CHAR}{{{low},{'' if high is None else high}}}$"


def prepare_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` with our string rules and closed objects (module docstring)."""

    def visit(node: Any) -> Any:
        if isinstance(node, list):
            return [visit(item) for item in node]
        if not isinstance(node, dict):
            return node
        node = {key: visit(value) for key, value in node.items()}
        if node.get("type") == "string":
            pattern = string_pattern(node)
            if pattern is not None:
                replaced: tuple[str, ...] = ("pattern", "minLength")
                # A declared sentence keeps its maxLength: a decimal point ("6.8") is one
                # repetition of the sentence character but two characters, so the pattern alone
                # can overrun the limit (a 203-character event description failed validation on
                # a real page); llguidance intersects a pattern with maxLength. A plain text's
                # pattern carries its limits itself.
                if kind_of(node) is None:
                    replaced += ("maxLength",)
                node = {k: v for k, v in node.items() if k not in replaced}
                node["pattern"] = pattern
        node.pop(KIND_KEY, None)
        if node.get("type") == "object" and "properties" in node:
            node.setdefault("additionalProperties", False)
        return node

    return visit(copy.deepcopy(schema))


@lru_cache(maxsize=32)
def _grammar_from_text(schema_text: str) -> str:
    import llguidance

    return llguidance.LLMatcher.grammar_from_json_schema(
        prepare_schema(json.loads(schema_text)), overrides=JSON_LAYOUT
    )


def guidance_grammar(schema: dict[str, Any] | None) -> str:
    """The (cached) llguidance grammar of ``schema``; any JSON object when it is None."""
    # Not sorted: property order is the order the model writes in.
    return _grammar_from_text(json.dumps(schema or {"type": "object"}))
