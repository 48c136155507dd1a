"""What a free-text field of a constrained schema is, declared in the schema itself.

A response model marks a string field with :data:`KIND_KEY` (``"x-summarizer-kind"``); each
backend reads the declaration and constrains the field its own way, then takes the key out of
what it sends (no model or server sees it, except where instructor writes the whole schema into
the prompt: modes ``json`` and ``md_json``):

* the in-process model's grammar (:mod:`summarizer.constrained.grammar`) builds bounded
  sentences from :data:`LATIN_SENTENCE_CHAR`;
* a server (:mod:`summarizer.constrained.server`) gets the validation pattern as it is.

Validation checks the same fields with :data:`SENTENCE_PATTERN` / :data:`SUMMARY_PATTERN` for
every provider. A string without a kind is a plain text (the grammar keeps it to Latin script
within its length limits).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

#: The schema key that declares a field's kind.
KIND_KEY = "x-summarizer-kind"


class TextKind(StrEnum):
    """The kinds of model-written text a schema can declare."""

    #: One sentence that ends with ``.``, ``!`` or ``?``.
    sentence = "sentence"
    #: Two to four such sentences, separated by one space.
    summary = "summary"


#: A character inside a sentence: not a sentence mark (a period only before a digit: "6.8", or
#: between single letters of an abbreviation: "U.S. Senate", "z.B." - without it a model that
#: means "U.S." writes "U.1.0"), not a quote mark or backslash (JSON would escape them) nor a
#: control character.
SENTENCE_CHAR = r'(?:[^.!?"\\\x00-\x1f]|\.[0-9]|\.[A-Za-z]\.)'
#: One sentence (validation, every provider).
SENTENCE_PATTERN = rf"^{SENTENCE_CHAR}+[.!?]$"
#: Two to four sentences, separated by one space (validation, every provider).
SUMMARY_PATTERN = rf"^(?:{SENTENCE_CHAR}+[.!?] ){{1,3}}{SENTENCE_CHAR}+[.!?]$"
#: The validation pattern of each kind.
PATTERNS = {TextKind.sentence: SENTENCE_PATTERN, TextKind.summary: SUMMARY_PATTERN}

#: Latin script: Latin-1, Latin Extended, Latin Extended Additional, general punctuation
#: (dashes, „“”‚‘’, …) and currency signs.
LATIN = r"\u00A0-\u024F\u1E00-\u1EFF\u2010-\u205E\u20A0-\u20BF"
#: A character of a free text in the grammar: printable ASCII or Latin script.
TEXT_CHAR = rf"[ -~{LATIN}]"
#: :data:`SENTENCE_CHAR` as the grammar writes it: a text character that is no sentence mark,
#: quote mark or backslash, or a period before a digit or around an abbreviation's letter
#: (".S." of "U.S."). Every string it matches also matches
#: :data:`SENTENCE_CHAR` (``tests/test_guided.py`` checks it).
LATIN_SENTENCE_CHAR = rf"(?:[ #-\-/->@-\[\]-~{LATIN}]|\.[0-9]|\.[A-Za-z]\.)"


def declared(kind: TextKind) -> dict[str, Any]:
    """The ``json_schema_extra`` of a field of ``kind``."""
    return {KIND_KEY: kind.value}


def kind_of(node: dict[str, Any]) -> TextKind | None:
    """The kind a schema node declares, if any."""
    value = node.get(KIND_KEY)
    return TextKind(value) if value is not None else None


def without_declarations(schema: Any) -> Any:
    """``schema`` (any JSON value) with every :data:`KIND_KEY` taken out."""
    if isinstance(schema, list):
        return [without_declarations(item) for item in schema]
    if isinstance(schema, dict):
        return {k: without_declarations(v) for k, v in schema.items() if k != KIND_KEY}
    return schema
