"""Estimated cost of a run from its token counts.

Prices are USD per million tokens. The settings (``price_input_per_mtok``,
``price_output_per_mtok``; ``--price-in``/``--price-out``) win; otherwise a few well-known OpenAI
models have list prices here (standard tier, checked 2026-11; the Batch API costs half). The
in-process model costs nothing. Unknown models get no estimate rather than a made-up one.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.datamodel.schemas import TokenUsage
from summarizer.datamodel.settings import Settings
from summarizer.providers.registry import policy_for

#: model -> (input, output) USD per million tokens.
LIST_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
}


@dataclass(frozen=True)
class Price:
    input_per_mtok: float
    output_per_mtok: float
    origin: str  # "configured", "list price of MODEL", "local model"

    def cost(self, usage: TokenUsage) -> float:
        return (
            usage.prompt_tokens * self.input_per_mtok
            + usage.completion_tokens * self.output_per_mtok
        ) / 1_000_000


def price_for(settings: Settings) -> Price | None:
    """The price that applies to ``settings``, or None when it is not known."""
    if settings.price_input_per_mtok is not None or settings.price_output_per_mtok is not None:
        return Price(
            settings.price_input_per_mtok or 0.0,
            settings.price_output_per_mtok or 0.0,
            "configured",
        )
    provider = settings.resolved_provider
    if provider != "openai":
        return Price(0.0, 0.0, f"{provider} provider")
    model = policy_for(settings).model
    if settings.base_url is None and model in LIST_PRICES:
        return Price(*LIST_PRICES[model], f"list price of {model}")
    return None
