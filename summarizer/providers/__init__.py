"""Provider adapters behind one interface (:mod:`summarizer.providers.base`).

The built-in providers (``openai``, ``local``, ``lead``) are modules here; others come as plugins
(an entry point in the ``summarizer.providers`` group; the eval harness registers its ``oracle``
that way, so this layer does not import the harness). Each provider declares its own defaults
(:class:`~summarizer.providers.policy.ProviderPolicy`); :mod:`summarizer.providers.registry`
finds the class for a name and lays the user's settings over its policy.
"""

from __future__ import annotations

from summarizer.providers.base import Backend, DirectBackend
from summarizer.providers.policy import ProviderPolicy
from summarizer.providers.registry import make_backend, policy_for, policy_in_force

__all__ = [
    "Backend",
    "DirectBackend",
    "ProviderPolicy",
    "make_backend",
    "policy_for",
    "policy_in_force",
]
