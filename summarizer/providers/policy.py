"""What a provider needs unless the user says otherwise: :class:`ProviderPolicy`.

Each provider declares its own policy (``policy(settings)`` on its class, built-in or plugin);
:func:`~summarizer.providers.registry.policy_for` lays the user's settings over it. Nothing
outside the provider branches on its name to decide these values.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from summarizer.datamodel.types import Mode

if TYPE_CHECKING:
    from summarizer.datamodel.issues import IssueKind
    from summarizer.datamodel.settings import Settings

#: Articles longer than this are summarized in parts by providers that declare no limit.
ENDPOINT_CHUNK_CHARS = 60_000


@dataclass(frozen=True)
class ProviderPolicy:
    """A provider's defaults (as declared) or the values in force (as resolved)."""

    #: The model name sent to the endpoint (or reported, for providers without one).
    model: str
    #: How structured output is requested; None for providers that build summaries themselves.
    mode: Mode | None = None
    #: Whether ``auto`` (probe the endpoint) is a mode of this provider.
    probes: bool = False
    #: Validation re-asks per call.
    max_reasks: int = 2
    #: The finding kinds worth a re-ask (None: every kind); the rest is repaired at once.
    reask_kinds: frozenset[IssueKind] | None = None
    #: Per-article constrained schemas (:mod:`summarizer.constrained`).
    constrain: bool = False
    #: Batch requests in flight at once.
    concurrency: int = 16
    #: Articles longer than this many characters go in parts.
    chunk_chars: int = ENDPOINT_CHUNK_CHARS
    #: The guided pipeline (:mod:`summarizer.pipeline.guided`): quotes, sources and event
    #: records read by rules, the model asked for short sentences about chosen ones (with
    #: constrained schemas only).
    guided: bool = False

    def under(self, settings: Settings) -> ProviderPolicy:
        """This policy with what ``settings`` set explicitly laid over it (``auto`` only where
        the provider probes; elsewhere the provider's own mode stays)."""
        mode = settings.mode
        if mode is Mode.auto and not self.probes:
            mode = None
        return replace(
            self,
            model=settings.model or self.model,
            mode=mode if mode is not None and self.mode is not None else self.mode,
            max_reasks=self.max_reasks if settings.max_reasks is None else settings.max_reasks,
            constrain=self.constrain if settings.constrain is None else settings.constrain,
            concurrency=settings.concurrency or self.concurrency,
            chunk_chars=settings.chunk_chars or self.chunk_chars,
            guided=self.guided if settings.guided is None else settings.guided,
        )

    def extractive_for(self, settings: Settings, language: str, output_language: str) -> bool:
        """Whether the extractive variant applies: asked for, with constrained schemas, and the
        summary in the article's language."""
        return bool(settings.extractive) and self.constrain and language == output_language
