"""ArticleRequest: the one object a summary is asked with, and the providers built around it."""

from __future__ import annotations

import pytest

from summarizer import ConfigurationError, InputError, Settings, Summarizer
from summarizer.api import summarize
from summarizer.datamodel.types import LANGUAGES, Mode
from summarizer.inputs import article_request
from summarizer.providers import make_backend


def test_create_checks_the_text_and_resolves_both_languages_once(article: str) -> None:
    request = article_request(article, title=" Kim\nin Moskau ", date="  ")
    assert (request.language, request.output_language) == ("de", "de")
    assert (request.published.title, request.published.date) == ("Kim in Moskau", None)
    english = article_request(article, output_language="en")
    assert (english.language, english.output_language) == ("de", "en")
    part = english.with_text(article[:500])
    assert (part.text, part.output_language, part.published) == (
        article[:500],
        "en",
        english.published,
    )
    with pytest.raises(InputError, match="too short"):
        article_request("Kurz.")
    with pytest.raises(InputError, match="only German"):
        article_request("Ceci est un article en français sur la politique. " * 5)


def test_a_request_runs_through_the_pipeline(article: str) -> None:
    summarizer = Summarizer(Settings(provider="lead"))
    request = article_request(article)
    by_request = summarizer.summarize(request)
    by_text = summarize(article, provider="lead")  # the API builds the same request once
    assert by_request.model_dump(exclude={"metadata"}) == by_text.model_dump(exclude={"metadata"})
    assert by_request.headline == "Nordkorea unterstützt Moskau „bedingungslos“"


def test_vocabularies_are_defined_once() -> None:
    assert LANGUAGES == ("de", "en")
    assert Mode.in_process() == (Mode.json_schema, Mode.json, Mode.md_json)
    assert Mode.md_json.instructor_mode().name == "MD_JSON"


def test_the_oracle_provider_comes_from_its_entry_point(tmp_path) -> None:
    backend = make_backend(Settings(provider="oracle"))
    assert type(backend).__module__ == "summarizer.evals.oracle"
    with pytest.raises(ConfigurationError, match="local provider supports modes"):
        make_backend(Settings(provider="local", mode="tools"))
