"""JSON schema -> llama.cpp grammar (GBNF), with what llama-cpp-python's converter gets wrong.

The converter (``llama_cpp.llama_grammar.json_schema_to_gbnf``) does the structure. Before it
runs, every string subschema that needs a rule of our own - wherever it sits: a property, an
array item, a member of ``anyOf``, a definition - is replaced by a placeholder ``const`` that the
converter copies into the grammar as a literal; afterwards each placeholder becomes our rule:

* **length limits**: the converter expands ``maxLength`` into one nested rule per character
  (1,200 levels for a summary), which llama.cpp's grammar parser rejects, and a rejected grammar
  crashes sampling. We use GBNF's native bounded repetition, ``"\\"" char{M,N} "\\""``
  (``M`` the ``minLength``, else 0): the model can neither write past a limit nor leave a
  required text empty;
* **sentences**: a string with the pattern :data:`~summarizer.core.constrained.SENTENCE_PATTERN`
  ends with a sentence mark, ``char{M,N-1} [.!?…]``: the length limit ends a long sentence, never
  a word in the middle;
* **enums**: the converter does not escape the backslashes of the JSON encoding, so a value with
  a double quote ends its literal early and the grammar fails to parse; we write the literals.

A string character is JSON's own (no raw control characters: a newline inside a string is
invalid JSON; the converter's ``[^"\\\\]`` let them through) and Latin script only
(:data:`JSON_STRING_CHAR`): the model cannot drift into another script.
"""

from __future__ import annotations

import copy
import json
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from summarizer.core.constrained import LENGTHS, SENTENCE_PATTERN, SUMMARY_PATTERN

if TYPE_CHECKING:
    from llama_cpp import LlamaGrammar

_LENGTH_KEYS = frozenset({"maxLength", "minLength"})
#: A character inside a JSON string: printable ASCII but the quote and backslash, Latin letters
#: (Latin-1, Latin Extended, Latin Extended Additional), general punctuation (dashes, „“”‚‘’,
#: …) and currency signs; or an escape.
JSON_STRING_CHAR = (
    r"char ::= [ !#-\[\]-~\u00A0-\u024F\u1E00-\u1EFF\u2010-\u205E\u20A0-\u20BF]"
    r' | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F]{4})'
)
SENTENCE_END = "[.!?]"
#: A character inside a sentence (the grammar's twin of
#: :data:`~summarizer.core.constrained.SENTENCE_CHAR`): a string character that is no sentence
#: mark, quote mark or backslash, or a period before a digit.
SENTENCE_CHAR_RULE = (
    r"sentence-char ::= [ #--/->@-\[\]-~\u00A0-\u024F\u1E00-\u1EFF\u2010-\u205E\u20A0-\u20BF]"
    r' | "." [0-9]'
)
_CHAR_RULE = re.compile(r"^char ::= .*$", re.MULTILINE)


def _choices(node: dict[str, Any]) -> list[str] | None:
    """The values of a string ``enum`` or ``const``, if the subschema is one."""
    values = node["enum"] if "enum" in node else [node["const"]] if "const" in node else None
    if values and all(isinstance(v, str) for v in values):
        return values
    return None


def _needs_rule(node: dict[str, Any]) -> bool:
    if _choices(node) is not None:
        return True
    if node.get("type") != "string":
        return False
    return bool(_LENGTH_KEYS & node.keys()) or node.get("pattern") in (
        SENTENCE_PATTERN,
        SUMMARY_PATTERN,
    )


def _rule_for(node: dict[str, Any]) -> str:
    """The GBNF expression of a string subschema that needs a rule of our own."""
    choices = _choices(node)
    if choices is not None:
        return "(" + " | ".join(gbnf_json_string(v) for v in choices) + ")"
    low, high = node.get("minLength", 0), node.get("maxLength")
    if node.get("pattern") == SUMMARY_PATTERN:
        sentence = f"sentence-char{{1,{LENGTHS['sentence'] - 1}}} {SENTENCE_END}"
        return rf'("\"" {sentence} (" " {sentence}){{1,3}} "\"")'
    if node.get("pattern") == SENTENCE_PATTERN:
        bounds = f"{max(low - 1, 0)},{'' if high is None else high - 1}"
        return rf'("\"" sentence-char{{{bounds}}} {SENTENCE_END} "\"")'
    return rf'("\"" char{{{low},{"" if high is None else high}}} "\"")'


def _placeholder(number: int) -> str:
    return f"zzsummarizer{number}zz"


def _extract(schema: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A copy of ``schema`` with every string subschema that needs a rule of our own replaced
    by a placeholder ``const``, and the expression of each, in placeholder order."""
    rules: list[str] = []

    def visit(node: Any) -> Any:
        if isinstance(node, list):
            return [visit(item) for item in node]
        if not isinstance(node, dict):
            return node
        if _needs_rule(node):
            rules.append(_rule_for(node))
            return {"const": _placeholder(len(rules) - 1)}
        return {k: visit(v) for k, v in node.items()}

    return visit(copy.deepcopy(schema)), rules


def gbnf_json_string(value: str) -> str:
    """A GBNF literal matching exactly the JSON encoding of ``value``."""
    encoded = json.dumps(value, ensure_ascii=False)
    escaped = encoded.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'


def schema_to_gbnf(schema: dict[str, Any]) -> str:
    """GBNF text for ``schema`` (see the module docstring for what differs from the
    converter's)."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    prepared, rules = _extract(schema)
    text = json_schema_to_gbnf(json.dumps(prepared))
    text = _CHAR_RULE.sub(lambda _m: JSON_STRING_CHAR, text)
    for number, expression in enumerate(rules):
        literal = gbnf_json_string(_placeholder(number))
        assert literal in text, f"placeholder {number} missing from the converted grammar"
        text = text.replace(literal, expression)
    if "char" in text and "char ::=" not in text:
        text += "\n" + JSON_STRING_CHAR + "\n"
    if "sentence-char" in text:
        text += "\n" + SENTENCE_CHAR_RULE + "\n"
    return text


@lru_cache(maxsize=32)
def _grammar_from_text(text: str) -> LlamaGrammar:
    from llama_cpp import LlamaGrammar

    return LlamaGrammar.from_string(text, verbose=False)


def grammar_for_schema(schema: dict[str, Any]) -> LlamaGrammar:
    """A (cached) llama.cpp grammar for ``schema``."""
    return _grammar_from_text(schema_to_gbnf(schema))
