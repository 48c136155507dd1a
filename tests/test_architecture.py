"""The rooms' contracts: providers own their policy (built-in and plugin alike), one request
object through the pipeline, spans that say how they were found, the dependencies declared."""

from __future__ import annotations

import ast
import sys
import threading
from importlib.metadata import packages_distributions
from pathlib import Path
from typing import Any

import pytest

from summarizer import summarize
from summarizer.datamodel.errors import ConfigurationError
from summarizer.datamodel.schemas import AlignmentStatus, ArticleSummary, EvidenceSpan
from summarizer.datamodel.settings import Settings, load_settings
from summarizer.grounding.context import GroundingContext, GroundingRun
from summarizer.grounding.responses import SummaryDraft
from summarizer.inputs import article_request
from summarizer.pipeline import Summarizer
from summarizer.providers import make_backend, policy_for
from summarizer.providers.registry import provider_class
from summarizer.testing.fake_openai import FakeOpenAIServer, Respond, article_in
from tests import payloads
from tests.conftest import ROOT
from tests.test_long_articles import events_for, long_article

# -- providers own their policy ----------------------------------------------------------------


def install_plugin(root: Path, monkeypatch: pytest.MonkeyPatch, name: str, target: str) -> None:
    """A distribution on ``sys.path`` whose entry point names ``target`` as provider ``name``:
    what ``pip install`` of another package that ships a provider leaves behind."""
    info = root / "summarizer_echo_plugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: summarizer-echo-plugin\n")
    (info / "entry_points.txt").write_text(f"[summarizer.providers]\n{name} = {target}\n")
    monkeypatch.syspath_prepend(str(root))
    provider_class.cache_clear()


def test_a_provider_from_another_package_works_without_editing_the_core(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, article: str
) -> None:
    install_plugin(tmp_path / "site", monkeypatch, "echo", "tests.plugin_provider:EchoBackend")
    settings = load_settings(provider="echo", concurrency=None)
    policy = policy_for(settings)
    assert (policy.model, policy.max_reasks, policy.concurrency) == ("echo-1", 0, 3)
    result = summarize(article, provider="echo")
    assert result.headline == article.split("\n\n")[0].strip()
    assert result.metadata is not None and result.metadata.provider == "echo"
    # The user's settings still win over the plugin's declared defaults.
    assert policy_for(load_settings(provider="echo", concurrency=7)).concurrency == 7
    provider_class.cache_clear()


def test_an_unknown_provider_is_a_configuration_error_naming_the_known_ones() -> None:
    with pytest.raises(ConfigurationError, match=r"provider 'nope' is not installed.*lead"):
        make_backend(Settings(provider="nope"))


def test_each_built_in_provider_declares_its_defaults() -> None:
    local = policy_for(Settings(provider="local"))
    assert (local.mode, local.max_reasks, local.constrain, local.concurrency) == (
        "json_schema",
        1,
        True,
        1,
    )
    assert local.reask_kinds is not None and "wrong_language" in local.reask_kinds
    assert local.chunk_chars == (8192 - 2048 - 2000) * 3  # what fits the context window
    remote = policy_for(Settings(provider="openai", base_url="http://127.0.0.1:9/v1"))
    assert (remote.mode, remote.max_reasks, remote.constrain, remote.concurrency) == (
        "auto",
        2,
        False,
        16,
    )
    assert remote.reask_kinds is None  # every finding is worth a re-ask to a large model
    assert policy_for(Settings(provider="openai", api_key="sk-x")).mode == "tools"
    assert policy_for(Settings(provider="lead")).mode is None
    # A user's mode auto on a provider that cannot probe keeps the provider's own mode.
    assert policy_for(Settings(provider="local", mode="auto")).mode == "json_schema"


def test_the_oracle_takes_its_seeds_from_the_eval_suite_not_from_settings() -> None:
    from summarizer.evals.runner import suite_backend
    from summarizer.evals.suite import load_suite

    assert "seeds_dir" not in Settings.model_fields
    suite = load_suite(ROOT / "evals" / "oracle.yaml")
    backend = suite_backend(suite, Settings(provider="oracle"))
    assert backend._seeds_dir == suite.seeds  # type: ignore[union-attr]


# -- one request through the pipeline ---------------------------------------------------------


def test_long_articles_split_for_events_alone_as_for_summaries(server: FakeOpenAIServer) -> None:
    from summarizer import extract_events
    from summarizer.pipeline.chunking import split_into_chunks

    article = long_article(3_000)
    server.always("EventList", Respond(events_for))
    events = extract_events(
        article, provider="openai", base_url=server.base_url, mode="json_schema", chunk_chars=4000
    )
    parts = len(split_into_chunks(article, 4000))
    assert parts > 3
    requests = server.requests_for("EventList")
    assert len(requests) == parts and all(len(article_in(r)) <= 4000 for r in requests)
    assert len(events) == parts  # one per part, none twice
    for event in events:
        span = event.evidence
        assert span.start is not None and article[span.start : span.end] == span.text


def test_the_grounding_context_is_typed_and_a_mapping_still_works(article: str) -> None:
    draft = payloads.draft()
    typed = SummaryDraft.model_validate(draft, context=GroundingContext(article=article))
    mapped = SummaryDraft.model_validate(draft, context={"article": article, "extra": 1})
    assert typed.model_dump() == mapped.model_dump()
    context = GroundingContext.of({"article": article, "run": GroundingRun(max_attempts=1)})
    assert context is not None and context.run is not None and context.language is None
    assert GroundingContext.of({"text": article}) is None  # nothing to ground in


# -- spans say how they were found --------------------------------------------------------------


def test_spans_say_how_they_were_found(article: str) -> None:
    sentence = payloads.DRONE_SENTENCE
    loose = "  " + sentence.upper().replace(" ", "  ") + "  "
    draft = payloads.draft()
    draft["key_points"][0]["evidence"] = {"text": sentence}
    draft["quotes"] = []
    exact = SummaryDraft.model_validate(draft, context={"article": article})
    assert exact.key_points[0].evidence.alignment is AlignmentStatus.exact
    draft["key_points"][0]["evidence"] = {"text": loose.lower()}
    folded = SummaryDraft.model_validate(draft, context={"article": article})
    span = folded.key_points[0].evidence
    assert span.alignment is AlignmentStatus.normalized and span.text == sentence.rstrip(".")
    assert article[span.start : span.end] == span.text  # type: ignore[index]


def test_a_span_named_by_id_is_chosen(article: str) -> None:
    from summarizer.constrained.models import constrained_models, sentence_ids

    ids = sentence_ids(article)
    key = next(k for k, text in ids.items() if text == payloads.DRONE_SENTENCE)
    model = constrained_models(article, "de", ids=True)["summary"]
    draft = payloads.draft()
    draft["key_points"] = [
        {"evidence": {"sentence": key}, "text": point["text"]} for point in draft["key_points"]
    ][:1] * 3
    draft["quotes"] = []
    draft["sources"] = []
    result = model.model_validate(draft, context={"article": article})
    assert result.key_points[0].evidence.alignment is AlignmentStatus.chosen


def test_alignment_is_in_the_output_schema_and_never_asked_of_the_model() -> None:
    output = ArticleSummary.model_json_schema(mode="serialization")
    assert "alignment" in output["$defs"]["EvidenceSpan"]["properties"]
    asked = SummaryDraft.model_json_schema()
    assert "alignment" not in asked["$defs"]["EvidenceSpan"]["properties"]
    assert EvidenceSpan(text="x").alignment is None


# -- the in-process model is driven by one thread at a time -------------------------------------


@pytest.mark.slow
def test_two_threads_on_the_local_model_get_the_sequential_results(
    smollm2_path: Path, article: str
) -> None:
    from summarizer import extract_events

    options: dict[str, Any] = {
        "provider": "local",
        "local_model": smollm2_path,
        "max_reasks": 0,
        "max_tokens": 2048,
        "repeat_penalty": 1.3,
    }
    short = "\n\n".join(article.split("\n\n")[:4])
    articles = [short, short.replace("Nordkorea", "Nord-Korea")]
    sequential = [extract_events(text, **options) for text in articles]
    parallel: list[Any] = [None, None]

    def run(index: int) -> None:  # each call builds its own backend over the one loaded model
        parallel[index] = extract_events(articles[index], **options)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [len(events) for events in sequential] != [0, 0]
    for alone, together in zip(sequential, parallel, strict=True):
        assert [e.model_dump() for e in together] == [e.model_dump() for e in alone]


# -- what the package imports, it declares ------------------------------------------------------


def test_every_third_party_import_is_a_declared_dependency() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = project["dependencies"] + [
        spec for extra in project["optional-dependencies"].values() for spec in extra
    ]
    declared = {
        spec.split(";")[0].split("[")[0].split("=")[0].split(">")[0].split("<")[0].strip()
        for spec in specs
    }
    declared = {name.lower().replace("_", "-") for name in declared}
    distributions = packages_distributions()
    missing = set()
    for path in (ROOT / "summarizer").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                roots = [node.module.split(".")[0]]
            else:
                continue
            for root in roots:
                if root == "summarizer" or root in sys.stdlib_module_names:
                    continue
                owners = {d.lower().replace("_", "-") for d in distributions.get(root, [root])}
                if not owners & declared:
                    missing.add(f"{root} ({path.relative_to(ROOT)})")
    assert sorted(missing) == []


def test_a_request_is_built_once_by_the_entry_points(article: str) -> None:
    request = article_request(article, output_language="en")
    summarizer = Summarizer(Settings(provider="lead"))
    assert summarizer.summarize(request).output_language == "de"  # lead cannot translate
    with pytest.raises(TypeError, match="takes an ArticleRequest, not str: build one with"):
        summarizer.summarize(article)  # type: ignore[arg-type]
