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
* ``$ref`` is inlined and ``minItems``/``maxItems`` (or ``pattern``) are left out where the
  probe found that the server breaks on them (:mod:`summarizer.providers.probe`);
* mode ``json_schema`` goes out as ``{"type": "json_object", "schema": ...}`` to servers that
  constrain only that form (llama-cpp-python's server answers ``json_schema`` with HTTP 500);
* the kind declarations (:mod:`summarizer.constrained.kinds`) are taken out: a declared
  sentence goes as its validation pattern, which servers that honour ``pattern`` follow.

OpenAI's own API gets the schemas as they are, less the declarations (:func:`openai_request`).
"""

from __future__ import annotations

import copy
from collections.abc import Collection
from typing import Any

from summarizer.constrained.kinds import KIND_KEY, without_declarations

#: The longest ``maxLength`` sent to a server other than OpenAI's.
SAFE_MAX_LENGTH = 500


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


def server_schema(schema: dict[str, Any], adapt: Collection[str] = ()) -> dict[str, Any]:
    """``schema`` as a server other than OpenAI's gets it (module docstring)."""
    if "$ref" in adapt:
        schema = _inline_refs(schema)

    def visit(node: Any) -> Any:
        if isinstance(node, list):
            return [visit(item) for item in node]
        if not isinstance(node, dict):
            return node
        kept = {}
        for key, value in node.items():
            if key == KIND_KEY:
                continue
            if key == "maxLength" and isinstance(value, int):
                value = min(value, SAFE_MAX_LENGTH)
            if key in ("minItems", "maxItems") and "minItems" in adapt:
                continue
            if key == "pattern" and isinstance(value, str) and "pattern" in adapt:
                continue
            kept[key] = visit(value)
        return kept

    return visit(copy.deepcopy(schema))


def server_request(
    params: dict[str, Any], adapt: Collection[str] = (), json_object_schema: bool = False
) -> dict[str, Any]:
    """Chat-completion ``params`` with every schema in them made server-compilable."""
    params = dict(params)
    response_format = params.get("response_format")
    if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
        schema = server_schema(response_format["json_schema"]["schema"], adapt)
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
                    "parameters": server_schema(tool["function"].get("parameters", {}), adapt),
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
