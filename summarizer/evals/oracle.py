"""Provider ``oracle``: answers with the gold label of the article (no LLM).

A sanity check for the eval harness and for users' own labels: scored against its own gold,
the oracle must reach the best value on every metric. It needs the gold labels, so it lives with
the harness and reaches the provider layer as a plugin (entry point ``summarizer.providers``).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from summarizer.datamodel.errors import ConfigurationError, InputError
from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.schemas import (
    AlignmentStatus,
    ArticleSummary,
    Entity,
    EventRecord,
    EventTime,
    EvidenceSpan,
    KeyPoint,
    Location,
    Quote,
    Source,
)
from summarizer.datamodel.settings import Settings
from summarizer.datamodel.types import Language
from summarizer.evals.gold import GoldLabel, SeedError, load_seeds
from summarizer.providers.policy import ProviderPolicy
from summarizer.text.matching import locate

#: Where the oracle looks for gold labels when nothing else says.
DEFAULT_SEEDS = Path("seeds")


def _span(passage: str, article: str) -> EvidenceSpan:
    found = locate(passage, article)
    if found is None:
        raise InputError(f"gold passage not in the article: {passage[:60]!r}")
    return EvidenceSpan(
        text=found.text,
        start=found.start,
        end=found.end,
        alignment=AlignmentStatus.exact if found.exact else AlignmentStatus.normalized,
    )


def gold_to_summary(label: GoldLabel, article: str, output_language: Language) -> ArticleSummary:
    """The prediction that exactly reproduces ``label``."""

    def pick(texts: dict[Language, str]) -> str:
        return texts.get(output_language) or texts[label.language]

    quotes = []
    for quote in label.quotes:
        span = _span(quote.text, article)
        quotes.append(Quote(speaker=quote.speaker, text=span.text, start=span.start, end=span.end))
    return ArticleSummary(
        language=label.language,
        output_language=output_language,
        headline=pick(label.headline),
        summary=pick(label.reference_summary),
        key_points=[
            KeyPoint(text=pick(fact.text), evidence=_span(fact.evidence, article))
            for fact in label.key_facts
        ],
        entities=[
            Entity(name=e.name, type=e.type, description=e.description) for e in label.entities
        ],
        quotes=quotes,
        sources=[Source(name=s.name, type=s.type) for s in label.sources],
        events=[
            EventRecord(
                event_type=e.event_type,
                description=e.description,
                actors=e.actors,
                targets=e.targets,
                location=Location(**e.location.model_dump()),
                time=EventTime(text=e.time),
                fatalities=e.fatalities,
                injured=e.injured,
                casualty_details=e.casualty_details,
                source_attribution=e.source_attribution[0] if e.source_attribution else None,
                certainty=e.certainty,
                evidence=_span(e.evidence, article),
            )
            for e in label.events
        ],
    )


class OracleBackend:
    """Looks the article up among the gold labels of ``seeds_dir`` (the eval suite's seeds
    when the harness builds it; ``seeds/`` when built by name, as a plugin)."""

    name = "oracle"
    model = "gold"
    mode_name = "none"
    concurrent = True

    @classmethod
    def policy(cls, settings: Settings) -> ProviderPolicy:
        return ProviderPolicy(model=cls.model)

    def __init__(
        self, settings: Settings, *, batch: bool = False, seeds_dir: Path = DEFAULT_SEEDS
    ) -> None:
        self._seeds_dir = seeds_dir

    @cached_property
    def _labels(self) -> dict[str, GoldLabel]:
        try:
            seeds = load_seeds(self._seeds_dir)
        except SeedError as exc:
            raise ConfigurationError(f"oracle provider: {exc}") from None
        return {seed.text.strip(): seed.label for seed in seeds}

    def build_summary(self, request: ArticleRequest) -> ArticleSummary:
        label = self._labels.get(request.text.strip())
        if label is None:
            raise InputError(
                f"oracle provider: no gold label for this article in {self._seeds_dir}"
            )
        return gold_to_summary(label, request.text, request.output_language)
