"""Eval suite definitions: YAML files under ``evals/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from summarizer.datamodel.errors import ConfigurationError
from summarizer.datamodel.schemas import Language
from summarizer.evals.metrics import DESCRIPTIVE, METRICS


class Suite(BaseModel):
    """What to run and how to judge it."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    seeds: Path = Field(description="Seed directory, relative to the suite file.")
    articles: list[str] | None = Field(default=None, description="Seed ids; default: all.")
    provider: str | None = None
    model: str | None = None
    mode: str | None = None
    base_url: str | None = None
    output_languages: list[Language | None] = Field(
        default_factory=lambda: [None],
        description="Run every article once per entry; null = the article's own language.",
    )
    metrics: list[str] = Field(default_factory=lambda: list(METRICS))
    thresholds: dict[str, float] = Field(
        default_factory=dict,
        description="Minimum mean for higher-is-better metrics, maximum for counts.",
    )
    concurrency: int = Field(default=4, ge=1, le=256)
    settings: dict[str, Any] = Field(
        default_factory=dict, description="Extra Settings fields, e.g. max_reasks."
    )

    @field_validator("metrics")
    @classmethod
    def _known_metrics(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(METRICS))
        if unknown:
            raise ValueError(f"unknown metrics {unknown}; known: {', '.join(METRICS)}")
        return value

    @field_validator("thresholds")
    @classmethod
    def _known_thresholds(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(METRICS))
        if unknown:
            raise ValueError(f"thresholds for unknown metrics {unknown}")
        descriptive = sorted(set(value) & set(DESCRIPTIVE))
        if descriptive:
            raise ValueError(f"{descriptive} describe the output; they take no threshold")
        return value


def load_suite(path: Path) -> Suite:
    """Read a suite file; ``seeds`` is resolved relative to it."""
    import yaml

    if not path.is_file():
        raise ConfigurationError(f"no such suite file: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        suite = Suite.model_validate(data)
    except (yaml.YAMLError, ValidationError) as exc:
        raise ConfigurationError(f"invalid suite {path}: {exc}") from None
    if not suite.seeds.is_absolute():
        suite = suite.model_copy(update={"seeds": (path.parent / suite.seeds).resolve()})
    return suite
