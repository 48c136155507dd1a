"""Settings: arguments over environment over defaults; provider and mode resolution."""

from __future__ import annotations

import pytest

from summarizer.datamodel.errors import ConfigurationError
from summarizer.datamodel.settings import load_settings
from summarizer.providers import policy_for
from summarizer.providers.openai_compat import DEFAULT_OPENAI_MODEL


def test_defaults_pick_the_embedded_local_provider() -> None:
    settings = load_settings()
    assert settings.resolved_provider == "local"
    assert policy_for(settings).mode == "json_schema"


def test_an_api_key_selects_openai_with_tools_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    settings = load_settings()
    assert settings.resolved_provider == "openai"
    assert policy_for(settings).mode == "tools"
    assert policy_for(settings).model == DEFAULT_OPENAI_MODEL
    assert "sk-env" not in repr(settings)


def test_a_base_url_selects_openai_compatible_with_mode_auto(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://localhost:11434/v1")
    settings = load_settings()
    assert (settings.resolved_provider, policy_for(settings).mode) == ("openai", "auto")


def test_arguments_override_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_MODEL", "env-model")
    monkeypatch.setenv("SUMMARIZER_MODE", "json")
    assert policy_for(load_settings()).model == "env-model"
    settings = load_settings(model="arg-model", mode="md_json", provider="openai", api_key="k")
    assert (policy_for(settings).model, policy_for(settings).mode) == ("arg-model", "md_json")
    assert policy_for(load_settings(model=None)).model == "env-model"  # None means not given


def test_invalid_values_are_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="mode"):
        load_settings(mode="telepathy")
    with pytest.raises(ConfigurationError, match="max_reasks"):
        load_settings(max_reasks=-1)


def test_openai_provider_without_key_or_url_is_refused() -> None:
    from summarizer.providers import make_backend

    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        make_backend(load_settings(provider="openai"))
