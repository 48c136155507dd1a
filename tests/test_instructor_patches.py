"""Response models prepared for instructor once: same schema, same checks as instructor's own."""

from __future__ import annotations

import pytest
from instructor.v2.core import patch
from instructor.v2.core.function_calls import response_schema
from instructor.v2.core.response_model import prepare_response_model
from instructor.v2.validation import async_validators
from instructor.v2.validation.async_validators import async_field_validator
from pydantic import BaseModel

from summarizer.grounding.responses import RESPONSE_MODELS
from summarizer.instructor_patches import check_async_validators_once, prepared


@pytest.mark.parametrize("task", sorted(RESPONSE_MODELS))
def test_prepared_model_has_instructors_schema_and_name(task: str) -> None:
    model = RESPONSE_MODELS[task]
    assert prepared(model).model_json_schema() == response_schema(model).model_json_schema()
    assert prepared(model).__name__ == model.__name__
    assert issubclass(prepared(model), model)
    assert prepare_response_model(prepared(model)) is prepared(model)  # used as it is


def test_each_schema_is_a_fresh_copy() -> None:
    model = prepared(RESPONSE_MODELS["summary"])
    first = model.model_json_schema()
    first["properties"].clear()
    assert model.model_json_schema()["properties"]


class WithAsyncValidator(BaseModel):
    name: str

    @async_field_validator("name")
    async def check_name(self, value: str) -> str:
        return value


def test_async_validators_are_still_refused_after_the_check_is_memoized() -> None:
    check_async_validators_once()
    # The check instructor runs is ours, under both names it is looked up by.
    assert async_validators.reject_async_validators is patch.reject_async_validators
    assert async_validators.reject_async_validators.__module__ == "summarizer.instructor_patches"
    for _ in range(2):
        with pytest.raises(ValueError, match="async validators are not supported"):
            async_validators.reject_async_validators(WithAsyncValidator)
    async_validators.reject_async_validators(prepared(RESPONSE_MODELS["events"]))
