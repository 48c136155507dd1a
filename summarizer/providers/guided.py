"""JSON schema -> llguidance grammar for the in-process model, with our string rules.

llguidance (https://github.com/guidance-ai/llguidance) compiles a JSON schema into a
token-level constraint and tells the decoder which bytes the schema leaves no choice about
(:mod:`summarizer.providers.decoding` feeds those at prefill speed). Before compiling, every
string subschema gets the rule the response models mean:

* **enums and consts** stay as they are (llguidance writes them exactly, escapes included);
* **sentences** (:data:`~summarizer.core.constrained.SENTENCE_PATTERN`) and **summaries**
  (:data:`~summarizer.core.constrained.SUMMARY_PATTERN`) become anchored patterns of bounded
  sentences, each ending with a sentence mark, so a length limit ends a sentence, never a word;
* **every other string** becomes an anchored pattern of Latin-script characters within its
  length limits: the model cannot drift into another script or write a raw control character;
* **objects** allow no properties beyond their schema (JSON schema allows any by default).

Whitespace is fixed (``", "`` between items, ``": "`` after keys, nothing else), so every
separator is a forced byte.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from typing import Any

from summarizer.core.constrained import LENGTHS, SENTENCE_PATTERN, SUMMARY_PATTERN

#: A character of a free text: printable ASCII, Latin letters (Latin-1, Latin Extended, Latin
#: Extended Additional), general punctuation (dashes, „“”‚‘’, …) and currency signs.
LATIN = r"\u00A0-\u024F\u1E00-\u1EFF\u2010-\u205E\u20A0-\u20BF"
TEXT_CHAR = rf"[ -~{LATIN}]"
#: A character inside a sentence: a text character that is no sentence mark, quote mark or
#: backslash, or a period before a digit ("6.8").
SENTENCE_CHAR = rf"(?:[ #-\-/->@-\[\]-~{LATIN}]|\.[0-9])"
SENTENCE_END = "[.!?]"
JSON_LAYOUT = {"whitespace_flexible": False, "item_separator": ", ", "key_separator": ": "}


def _sentences(low: int, high: int) -> str:
    return f"{SENTENCE_CHAR}{{{low},{high}}}{SENTENCE_END}"


def string_pattern(node: dict[str, Any]) -> str | None:
    """The anchored pattern that replaces a string subschema's length limits (and our sentence
    patterns); None where the subschema stays as it is: an enum or const, or a pattern of its
    own (a date), which means for llguidance what it means for validation."""
    if "enum" in node or "const" in node:
        return None
    low, high = node.get("minLength", 0), node.get("maxLength")
    pattern = node.get("pattern")
    if pattern == SUMMARY_PATTERN:
        sentence = _sentences(1, LENGTHS["sentence"] - 1)
        return f"^(?:{sentence} ){{1,3}}{sentence}$"
    if pattern == SENTENCE_PATTERN:
        top = "" if high is None else str(high - 1)
        return f"^{SENTENCE_CHAR}{{{max(low - 1, 0)},{top}}}{SENTENCE_END}$"
    if pattern is not None:
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
                # A decimal point ("6.8") is one repetition of SENTENCE_CHAR but two characters,
                # so a sentence pattern alone can overrun the limit (a 203-character event
                # description failed validation on a real page); llguidance intersects a
                # pattern with maxLength, so that stays.
                replaced = ("pattern", "minLength")
                if SENTENCE_CHAR not in pattern:
                    replaced += ("maxLength",)
                node = {k: v for k, v in node.items() if k not in replaced}
                node["pattern"] = pattern
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
