"""Response models prepared for instructor once per class instead of once per call.

On every call, instructor wraps a plain Pydantic response model in a fresh subclass of its
``ResponseSchema`` (``pydantic.create_model``) and generates that class's JSON schema anew. In a
batch at high concurrency this was the largest part of the client's CPU time per article. A model
that already subclasses ``ResponseSchema`` is used as it is, so :func:`prepared` builds that
subclass once per response model, the way instructor does, and its JSON schema is generated once
and handed out as a fresh copy on each request (instructor's tool-schema helper edits the dict it
gets).
"""

from __future__ import annotations

import json
import weakref
from functools import cache, wraps
from typing import Any, TypeVar

from instructor import ResponseSchema
from pydantic import BaseModel, create_model

M = TypeVar("M", bound=BaseModel)

_SCHEMAS: dict[tuple[Any, ...], str] = {}


class _SchemaOnce(ResponseSchema):
    """``model_json_schema`` generated once per class and set of arguments."""

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        key = (cls, args, tuple(sorted(kwargs.items())))
        text = _SCHEMAS.get(key)
        if text is None:
            text = _SCHEMAS[key] = json.dumps(super().model_json_schema(*args, **kwargs))
        schema: dict[str, Any] = json.loads(text)
        return schema


@cache
def prepared(model: type[M]) -> type[M]:
    """``model`` as instructor's ``response_schema`` would wrap it, built once.

    Only for the fixed response models: the cache holds every class it is given.
    """
    wrapped = create_model(model.__name__, __base__=(model, _SchemaOnce))
    return wraps(model, updated=())(wrapped)  # type: ignore[return-value]


@cache
def check_async_validators_once() -> None:
    """Make instructor's async-validator check run once per response model class.

    instructor 1.17 walks the whole class hierarchy of the response model and of every nested
    model, four times per call, to refuse models with async validators (which its runtime does
    not run). For a fixed class the answer never changes, yet in a batch at high concurrency
    the walk was a quarter of the client's CPU time. This wraps instructor's check so that a
    class that has passed is not walked again; anything else (a failing class, a non-class
    response model) still goes through the original check every time, so it still fails closed.
    instructor is pinned: ``tests/test_instructor_patches.py`` fails if a new version moves the
    check.
    """
    from instructor.v2.core import patch
    from instructor.v2.validation import async_validators

    original = async_validators.reject_async_validators
    passed: weakref.WeakSet[type] = weakref.WeakSet()  # classes made per call may go

    def reject_async_validators(response_model: Any) -> None:
        if isinstance(response_model, type) and response_model in passed:
            return
        original(response_model)
        if isinstance(response_model, type):
            passed.add(response_model)

    async_validators.reject_async_validators = reject_async_validators
    patch.reject_async_validators = reject_async_validators  # imported by name at module level
