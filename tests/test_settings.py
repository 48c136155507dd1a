"""Settings: arguments over environment over defaults; provider and mode resolution."""

from __future__ import annotations

import pytest

from summarizer.core.errors import ConfigurationError
from summarizer.core.settings import DEFAULT_OPENAI_MODEL, load_settings


def test_defaults_pick_the_embedded_local_provider() -> None:
    settings = load_settings()
    assert settings.resolved_provider == "local"
    assert settings.resolved_mode == "json_schema"


def test_an_api_key_selects_openai_with_tools_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    settings = load_settings()
    assert settings.resolved_provider == "openai"
    assert settings.resolved_mode == "tools"
    assert settings.resolved_model == DEFAULT_OPENAI_MODEL
    assert "sk-env" not in repr(settings)


def test_a_base_url_selects_openai_compatible_with_mode_auto(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://localhost:11434/v1")
    settings = load_settings()
    assert (settings.resolved_provider, settings.resolved_mode) == ("openai", "auto")


def test_arguments_override_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_MODEL", "env-model")
    monkeypatch.setenv("SUMMARIZER_MODE", "json")
    assert load_settings().resolved_model == "env-model"
    settings = load_settings(model="arg-model", mode="md_json", provider="openai", api_key="k")
    assert (settings.resolved_model, settings.resolved_mode) == ("arg-model", "md_json")
    assert load_settings(model=None).resolved_model == "env-model"  # None means not given


def test_invalid_values_are_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="mode"):
        load_settings(mode="telepathy")
    with pytest.raises(ConfigurationError, match="max_reasks"):
        load_settings(max_reasks=-1)


def test_openai_provider_without_key_or_url_is_refused() -> None:
    from summarizer.providers import make_backend

    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        make_backend(load_settings(provider="openai"))
