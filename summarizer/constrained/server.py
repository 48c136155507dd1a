"""The request a server gets: our schemas in a form its converter can compile.

Validation on our side stays as strict as the response model says; only what the server uses to
constrain decoding changes:

* **long length limits** (``maxLength`` above :data:`SAFE_MAX_LENGTH`) are sent as that limit
  to every server but OpenAI's own: llama.cpp's Python converter (llama-cpp-python's server)
  expands a limit into one nested rule per character, and at 1,200 the grammar fails to parse
  and the server process dies (measured; 500 passed). Left out instead, nothing stops a small
  model: the embedded model behind llama-server wrote a summary past 1,200 characters, then
  one past the 2,048-token reply limit (measured). So a 1,200-character summary is capped at
  500 on such servers;
* a pattern's non-capturing groups are sent as plain groups (:func:`server_pattern`);
* ``$ref`` is inlined and ``minItems``/``maxItems`` (or ``pattern``) are left out where the
  probe found that the server breaks on them (:mod:`summarizer.providers.probe`);
* mode ``json_schema`` goes out as ``{"type": "json_object", "schema": ...}`` to servers that
  constrain only that form (llama-cpp-python's server answers ``json_schema`` with HTTP 500);
* the kind declarations (:mod:`summarizer.constrained.kinds`) are taken out: a declared
  sentence goes as its validation pattern, except to a server whose probe found that it
  constrains every feature the per-article schemas use, which gets them (``string_rules``,
  :meth:`~summarizer.providers.openai_compat.OpenAICompatibleBackend.served_policy`): its
  schemas go with the in-process model's string rules
  (:func:`summarizer.constrained.grammar.prepare_schema`: bounded sentences, Latin-script
  texts within their limits, closed objects). Measured on llama-server with the embedded
  model and the reference article: with the validation pattern alone its restated sentences
  were fragments ("Militärstützpunkte getötet in Ukraine.") and all eight failed the support
  check; with the string rules five of eight were word for word the in-process model's, two
  lacked only their quotation marks, and three were replaced by their source sentences.

OpenAI's own API gets the schemas as they are, less the declarations (:func:`openai_request`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Collection
from typing import Any

from summarizer.constrained.grammar import prepare_schema
from summarizer.constrained.kinds import KIND_KEY, without_declarations

#: The longest ``maxLength`` sent to a server other than OpenAI's.
SAFE_MAX_LENGTH = 500


#: A non-capturing group opening, not escaped.
_NON_CAPTURING = re.compile(r"(?<!\\)\(\?:")


def server_pattern(pattern: str) -> str:
    """``pattern`` with its non-capturing groups as plain groups (the same strings match):
    llama-cpp-python's converter rejects ``(?:`` and then constrains nothing at all, silently
    (measured: the sentence patterns reached its server and the 1.5B model wrote whatever it
    liked)."""
    return _NON_CAPTURING.sub("(", pattern)


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    definitions = schema.get("$defs", {})

    def visit(node: Any) -> Any:
        if isinstance(node, list):
            return [visit(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node and node["$ref"].startswith("#/$defs/"):
            target = definitions[node["$ref"].removeprefix("#/$defs/")]
            return visit({**{k: v for k, v in node.items() if k != "$ref"}, **target})
        return {k: visit(v) for k, v in node.items() if k != "$defs"}

    return visit(schema)


def server_schema(
    schema: dict[str, Any], adapt: Collection[str] = (), string_rules: bool = False
) -> dict[str, Any]:
    """``schema`` as a server other than OpenAI's gets it (module docstring); with
    ``string_rules`` (per-article constraints to a server that honours them), with the
    in-process model's string rules."""
    if "$ref" in adapt:
        schema = _inline_refs(schema)

    def visit(node: Any) -> Any:
        if isinstance(node, list):
            return [visit(item) for item in node]
        if not isinstance(node, dict):
            return node
        kept = {}
        for key, value in node.items():
            if key == KIND_KEY and not string_rules:
                continue
            if key == "maxLength" and isinstance(value, int):
                value = min(value, SAFE_MAX_LENGTH)
            if key in ("minItems", "maxItems") and "minItems" in adapt:
                continue
            if key == "pattern" and isinstance(value, str) and "pattern" in adapt:
                continue
            kept[key] = visit(value)
        return kept

    sent = visit(copy.deepcopy(schema))
    return _plain_groups(prepare_schema(sent) if string_rules else sent)


def _plain_groups(node: Any) -> Any:
    if isinstance(node, list):
        return [_plain_groups(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: server_pattern(value)
        if key == "pattern" and isinstance(value, str)
        else _plain_groups(value)
        for key, value in node.items()
    }


def server_request(
    params: dict[str, Any],
    adapt: Collection[str] = (),
    json_object_schema: bool = False,
    string_rules: bool = False,
) -> dict[str, Any]:
    """Chat-completion ``params`` with every schema in them made server-compilable (and, with
    ``string_rules``, constrained as in-process: :func:`server_schema`)."""
    params = dict(params)
    response_format = params.get("response_format")
    if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
        schema = server_schema(response_format["json_schema"]["schema"], adapt, string_rules)
        params["response_format"] = (
            {"type": "json_object", "schema": schema}
            if json_object_schema
            else {
                **response_format,
                "json_schema": {**response_format["json_schema"], "schema": schema},
            }
        )
    if params.get("tools"):
        params["tools"] = [
            {
                **tool,
                "function": {
                    **tool["function"],
                    "parameters": server_schema(
                        tool["function"].get("parameters", {}), adapt, string_rules
                    ),
                },
            }
            for tool in params["tools"]
        ]
    return params


def openai_request(params: dict[str, Any]) -> dict[str, Any]:
    """Chat-completion ``params`` for OpenAI's own API: the schemas less the declarations."""
    params = dict(params)
    response_format = params.get("response_format")
    if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
        params["response_format"] = without_declarations(response_format)
    if params.get("tools"):
        params["tools"] = without_declarations(params["tools"])
    return params
