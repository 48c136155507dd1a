"""Which class serves a provider name, and the policy in force for a settings object.

Built-in providers are named in :data:`BUILT_IN`; any other name is looked up as an entry point
of the group :data:`PLUGIN_GROUP` (``name = "package.module:ProviderClass"``), so a provider
from another package works without editing this one. A provider class:

* is built as ``ProviderClass(settings, batch=...)`` and behaves as a
  :class:`~summarizer.providers.base.Backend` or
  :class:`~summarizer.providers.base.DirectBackend`;
* declares its defaults with a class method ``policy(settings) -> ProviderPolicy``;
* may refine them once it knows what it serves, with a method
  ``served_policy(policy) -> ProviderPolicy`` (a server's probe: :func:`policy_in_force`).
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Protocol

from summarizer.datamodel.errors import ConfigurationError
from summarizer.providers.policy import ProviderPolicy

if TYPE_CHECKING:
    from summarizer.datamodel.settings import Settings
    from summarizer.providers.base import Backend, DirectBackend

#: Entry-point group of provider plugins.
PLUGIN_GROUP = "summarizer.providers"
#: The providers of this package, imported only when used (the local one loads llama.cpp).
BUILT_IN = {
    "openai": "summarizer.providers.openai_compat:OpenAICompatibleBackend",
    "local": "summarizer.providers.local:LocalBackend",
    "lead": "summarizer.providers.lead:LeadBackend",
}


class ProviderClass(Protocol):
    """What a provider name resolves to."""

    def __call__(self, settings: Settings, *, batch: bool = False) -> Backend | DirectBackend: ...

    def policy(self, settings: Settings) -> ProviderPolicy: ...


def _load(target: str) -> Any:
    module, _, attribute = target.partition(":")
    return getattr(import_module(module), attribute)


@cache
def provider_class(name: str) -> ProviderClass:
    """The class that serves provider ``name`` (built in, or an installed plugin)."""
    if name in BUILT_IN:
        found: ProviderClass = _load(BUILT_IN[name])
        return found
    plugins = entry_points(group=PLUGIN_GROUP, name=name)
    if not plugins:
        known = ", ".join(sorted({*BUILT_IN, *entry_points(group=PLUGIN_GROUP).names}))
        raise ConfigurationError(
            f"provider {name!r} is not installed (known: {known}; a plugin registers an entry "
            f"point in the group {PLUGIN_GROUP!r})"
        )
    plugin: ProviderClass = next(iter(plugins)).load()
    if not callable(getattr(plugin, "policy", None)):
        raise ConfigurationError(
            f"provider {name!r} ({plugins[name].value}) declares no policy(settings) method"
        )
    return plugin


def policy_for(settings: Settings) -> ProviderPolicy:
    """The policy in force: the provider's declared defaults under the user's settings."""
    return provider_class(settings.resolved_provider).policy(settings).under(settings)


def policy_in_force(
    settings: Settings, backend: Backend | DirectBackend | None = None
) -> ProviderPolicy:
    """:func:`policy_for`, refined by ``backend`` once it knows what it serves (its optional
    ``served_policy``: e.g. a server whose probe found that it honours the per-article
    constraints gets them)."""
    policy = policy_for(settings)
    served = getattr(backend, "served_policy", None)
    return served(policy) if callable(served) else policy


def make_backend(settings: Settings, *, batch: bool = False) -> Backend | DirectBackend:
    """Build the backend the settings name (heavy imports happen here, lazily).

    ``batch``: the caller sends many requests and closes the backend when done (see
    :class:`~summarizer.providers.openai_compat.OpenAICompatibleBackend`).
    """
    return provider_class(settings.resolved_provider)(settings, batch=batch)
