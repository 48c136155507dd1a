"""Provider adapters behind one interface (:mod:`summarizer.providers.base`).

The built-in providers (``openai``, ``local``, ``lead``) are modules here. Others come as
plugins: an entry point in the ``summarizer.providers`` group names a class built with the
settings (the eval harness registers its ``oracle`` that way, so this layer does not import the
harness). Adding a provider means adding one module, plus one line below or one entry point.
"""

from __future__ import annotations

from importlib.metadata import entry_points

from summarizer.core.errors import ConfigurationError
from summarizer.core.settings import Settings
from summarizer.providers.base import Backend, DirectBackend

#: Entry-point group of provider plugins: ``name = "package.module:ProviderClass"``.
PLUGIN_GROUP = "summarizer.providers"


def make_backend(settings: Settings, *, batch: bool = False) -> Backend | DirectBackend:
    """Build the backend the settings name (heavy imports happen here, lazily).

    ``batch``: the caller sends many requests and closes the backend when done (see
    :class:`~summarizer.providers.openai_compat.OpenAICompatibleBackend`).
    """
    provider = settings.resolved_provider
    if provider == "openai":
        from summarizer.providers.openai_compat import OpenAICompatibleBackend

        return OpenAICompatibleBackend(settings, batch=batch)
    if provider == "local":
        from summarizer.providers.local import LocalBackend

        return LocalBackend(settings)
    if provider == "lead":
        from summarizer.providers.lead import LeadBackend

        return LeadBackend()
    plugins = entry_points(group=PLUGIN_GROUP, name=provider)
    if not plugins:
        raise ConfigurationError(
            f"provider {provider!r} is not installed (no {PLUGIN_GROUP!r} entry point; "
            "reinstall the package)"
        )
    factory = next(iter(plugins)).load()
    backend: Backend | DirectBackend = factory(settings)
    return backend


__all__ = ["Backend", "DirectBackend", "make_backend"]
