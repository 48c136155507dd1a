"""Provider adapters behind one interface (:class:`summarizer.providers.base.Backend`).

Adding a provider means adding one module here and one line in :func:`make_backend`.
"""

from __future__ import annotations

from summarizer.providers.base import Backend, DirectBackend
from summarizer.settings import Settings


def make_backend(settings: Settings, *, batch: bool = False) -> Backend | DirectBackend:
    """Build the backend the settings name (heavy imports happen here, lazily).

    ``batch``: the caller sends many requests and closes the backend when done (see
    :class:`~summarizer.providers.openai_compat.OpenAICompatibleBackend`).
    """
    provider = settings.resolved_provider
    if provider == "openai":
        from summarizer.providers.openai_compat import OpenAICompatibleBackend

        return OpenAICompatibleBackend(settings, batch=batch)
    if provider == "oracle":
        from summarizer.providers.oracle import OracleBackend

        return OracleBackend(settings)
    if provider == "lead":
        from summarizer.providers.lead import LeadBackend

        return LeadBackend()
    from summarizer.providers.local import LocalBackend

    return LocalBackend(settings)


__all__ = ["Backend", "DirectBackend", "make_backend"]
