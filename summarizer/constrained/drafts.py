"""The draft of the guided pipeline: a per-article summary model that asks only for the
entities (:mod:`summarizer.pipeline.guided` reads quotes, sources and events by rules and has
headline, key points and summary written sentence by sentence)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import BaseModel, Field, create_model
from pydantic.json_schema import SkipJsonSchema

from summarizer.datamodel import schemas
from summarizer.grounding import responses

_LISTS = {"key_points": schemas.KeyPoint, "quotes": schemas.Quote, "sources": schemas.Source}


@lru_cache(maxsize=8)
def entities_only(draft: type[BaseModel]) -> type[BaseModel]:
    """``draft`` (a constrained summary model) with only its ``entities`` field asked for;
    the other fields the checks read are hidden and empty."""
    entities = draft.model_fields["entities"]
    fields: dict[str, Any] = {
        "entities": (entities.annotation, entities),
        "headline": (SkipJsonSchema[str], ""),
        "summary": (SkipJsonSchema[str], ""),
    }
    fields |= {k: (SkipJsonSchema[list[m]], Field(default_factory=list)) for k, m in _LISTS.items()}
    return create_model("SummaryDraft", __base__=responses.GroundedModel, **fields)
