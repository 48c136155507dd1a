"""JSON schema -> llama.cpp grammar (GBNF), with string length limits that llama.cpp can parse.

llama-cpp-python's converter expands ``maxLength`` into one nested rule per character (1,200
levels for a summary), which llama.cpp's grammar parser rejects, and a rejected grammar crashes
sampling. So the length keywords are removed before conversion, and the rule of every
length-limited string property is then rewritten with GBNF's native bounded repetition,
``"\\"" char{M,N} "\\"" space`` (``M`` the ``minLength``, else 0; no ``N`` without a
``maxLength``). The model can neither write past a limit nor leave a required text empty, so
its reply always passes the schema's own length validation. The converter's rule for a
string character also admits raw control characters (a newline inside a string is invalid
JSON); it is replaced by JSON's own definition, :data:`JSON_STRING_CHAR`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from llama_cpp import LlamaGrammar

_LENGTH_KEYS = frozenset({"maxLength", "minLength"})
#: A character inside a JSON string: anything but a quote, a backslash or a control character,
#: or an escape. The converter's own rule (``[^"\\]``) lets raw newlines and tabs through,
#: which makes the reply invalid JSON.
JSON_STRING_CHAR = r'char ::= [^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F]{4})'
_CHAR_RULE = re.compile(r"^char ::= .*$", re.MULTILINE)
_INVALID_RULE_CHARS = re.compile(r"[^a-zA-Z0-9-]+")


def without_length_keys(schema: Any) -> Any:
    """``schema`` minus every ``maxLength``/``minLength`` keyword."""
    if isinstance(schema, dict):
        return {k: without_length_keys(v) for k, v in schema.items() if k not in _LENGTH_KEYS}
    if isinstance(schema, list):
        return [without_length_keys(item) for item in schema]
    return schema


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(converter rule name, property schema) of the root's and every definition's properties;
    the converter names them ``prop`` at the root and ``Definition-prop`` in ``$defs``."""
    objects = [("", schema)] + [(f"{name}-", d) for name, d in schema.get("$defs", {}).items()]
    for prefix, definition in objects:
        for prop, spec in definition.get("properties", {}).items():
            yield _INVALID_RULE_CHARS.sub("-", f"{prefix}{prop}"), spec


def _bounded_properties(schema: dict[str, Any]) -> dict[str, str]:
    """Key-value rule name of each plain string property with a length limit -> the GBNF
    repetition bounds, ``"M,N"`` (``"M,"`` without a ``maxLength``)."""
    return {
        f"{rule}-kv": f"{spec.get('minLength', 0)},{spec.get('maxLength', '')}"
        for rule, spec in _properties(schema)
        if spec.get("type") == "string" and _LENGTH_KEYS & spec.keys() and "enum" not in spec
    }


def _enum_properties(schema: dict[str, Any]) -> dict[str, list[str]]:
    """Rule name of each string-enum property -> its values."""
    return {
        rule: spec["enum"]
        for rule, spec in _properties(schema)
        if spec.get("enum") and all(isinstance(v, str) for v in spec["enum"])
    }


def gbnf_json_string(value: str) -> str:
    """A GBNF literal matching exactly the JSON encoding of ``value``.

    llama-cpp-python's converter does not escape the backslashes of the JSON encoding, so a
    value containing a double quote ends its literal early and the grammar fails to parse.
    """
    encoded = json.dumps(value, ensure_ascii=False)
    escaped = encoded.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'


def schema_to_gbnf(schema: dict[str, Any]) -> str:
    """GBNF text for ``schema``: native bounds on length-limited strings, and string enums
    with correctly escaped literals."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    text = json_schema_to_gbnf(json.dumps(without_length_keys(schema)))
    text = _CHAR_RULE.sub(lambda _m: JSON_STRING_CHAR, text)
    for rule, bounds in _bounded_properties(schema).items():
        pattern = re.compile(rf"^({re.escape(rule)} ::= .*) string$", re.MULTILINE)
        bounded = rf'\1 "\\"" char{{{bounds}}} "\\"" space'
        text = pattern.sub(bounded, text)
    for rule, values in _enum_properties(schema).items():
        alternatives = " | ".join(gbnf_json_string(v) for v in values)
        pattern = re.compile(rf"^{re.escape(rule)} ::= .*$", re.MULTILINE)
        text = pattern.sub(lambda _m, r=rule, a=alternatives: f"{r} ::= ({a})", text)
    return text


@lru_cache(maxsize=32)
def _grammar_from_text(text: str) -> LlamaGrammar:
    from llama_cpp import LlamaGrammar

    return LlamaGrammar.from_string(text, verbose=False)


def grammar_for_schema(schema: dict[str, Any]) -> LlamaGrammar:
    """A (cached) llama.cpp grammar for ``schema``."""
    return _grammar_from_text(schema_to_gbnf(schema))
