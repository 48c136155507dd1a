"""Real publisher pages (``../shared/corpus/news-pages``, 68 German and US pages with a
reference extraction): our HTML extraction against the reference, and every page through the
tool without a model (the lead baseline, and batch runs over the fake server with long pages
in parts). Skipped, with the reason, where the corpus is not beside the checkout."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.datamodel.schemas import ArticleSummary, BatchRecord
from summarizer.evals.pages import Page, bag_scores, load_pages, pages_dir, same_day
from summarizer.inputs import extract_html
from summarizer.testing.fake_openai import FakeOpenAIServer, Reply, Respond
from tests.payloads import grounded_draft

PAGES = load_pages() if (pages_dir() / "de").is_dir() else []
pytestmark = pytest.mark.skipif(
    not PAGES, reason=f"no corpus of real pages at {pages_dir()} (set SUMMARIZER_PAGES_DIR)"
)
#: Floors of the extraction scores (measured: mean F1 0.946, lowest page 0.64, title word F1
#: 0.90, date 65 of 68 pages).
MEAN_F1, PAGE_F1, TITLE_F1, DATE_SHARE = 0.93, 0.5, 0.85, 0.9


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[Page, object]]:
    return {page.name: (page, extract_html(page.html, page.name)) for page in PAGES}


def test_the_corpus_is_there() -> None:
    assert len(PAGES) == 68
    assert {p.language for p in PAGES} == {"de", "en"}


def test_extraction_matches_the_publishers_parser(extracted: dict) -> None:
    f1s, titles, dates = {}, [], []
    for name, (page, article) in extracted.items():
        f1s[name] = bag_scores(article.text, page.reference_text)["f1"]
        titles.append(bag_scores(article.title or "", page.reference.get("title") or "")["f1"])
        dates.append(same_day(article.date, page.reference.get("date")))
    print(f"mean F1 {statistics.mean(f1s.values()):.3f}, lowest {min(f1s.values()):.3f}")
    assert statistics.mean(f1s.values()) >= MEAN_F1
    assert min(f1s.values()) >= PAGE_F1, sorted(f1s.items(), key=lambda kv: kv[1])[:3]
    assert statistics.mean(titles) >= TITLE_F1
    dated = [d for d in dates if d is not None]
    assert sum(dated) / len(dated) >= DATE_SHARE


def test_a_bag_of_words_score_is_not_fooled() -> None:
    reference = "Der Zug entgleiste bei Kassel. Niemand wurde verletzt."
    assert bag_scores(reference, reference)["f1"] == 1.0
    padded = bag_scores(reference + " Cookie-Banner Abonnieren Newsletter " * 20, reference)
    assert padded["recall"] == 1.0 and padded["precision"] < 0.2  # page chrome costs precision
    assert bag_scores("Der Zug", reference)["recall"] < 0.3  # a fragment costs recall


def test_the_live_ticker_page_is_flagged_and_articles_are_not(extracted: dict) -> None:
    from summarizer.grounding.quality import live_blog

    flagged = [
        name for name, (_, article) in extracted.items() if live_blog(article.text, article.title)
    ]
    assert flagged == ["BR_2024_08_27"]  # "Nahost-Ticker", ten time-stamped entries


def _write_pages(folder: Path) -> list[str]:
    folder.mkdir()
    for page in PAGES:
        (folder / f"{page.name}.html").write_text(page.html, encoding="utf-8")
    return sorted(f"{page.name}.html" for page in PAGES)


def test_every_page_through_the_lead_baseline(tmp_path: Path) -> None:
    """The command line on every page: a result, never a traceback; the ticker is flagged."""
    folder = tmp_path / "pages"
    _write_pages(folder)
    for path in sorted(folder.iterdir()):
        result = CliRunner().invoke(
            app, ["summarize", str(path), "--provider", "lead", "--format", "json"]
        )
        assert result.exit_code == 0, (path.name, result.stderr)
        summary = ArticleSummary.model_validate_json(result.stdout)
        assert summary.summary and summary.metadata is not None
        kinds = {issue.kind.value for issue in summary.metadata.issues}
        assert ("many_stories" in kinds) == path.name.startswith("BR_2024_08_27"), path.name


def test_every_page_through_a_batch_with_long_pages_in_parts(tmp_path: Path) -> None:
    """A batch of all 68 pages against the fake server, pages over 4,000 characters read in
    parts: one record per page, no error record, the parts merged."""
    names = _write_pages(tmp_path / "pages")
    out = tmp_path / "out.jsonl"
    with FakeOpenAIServer() as server:
        server.always("SummaryDraft", Respond(grounded_draft))
        server.always("EventList", Reply({"events": []}))
        server.always("CombinedSummary", Reply({"headline": "Meldung", "summary": "Eine Meldung."}))
        args = ["batch", str(tmp_path / "pages"), "-o", str(out), "--no-cache"]
        args += ["--provider", "openai", "--base-url", server.base_url, "--mode", "json_schema"]
        result = CliRunner(
            env={"OPENAI_API_KEY": "sk-test", "SUMMARIZER_CHUNK_CHARS": "4000"}
        ).invoke(app, args)
        combined = len(server.requests_for("CombinedSummary"))
    assert result.exit_code == 0, result.stderr
    records = [BatchRecord.model_validate_json(line) for line in out.read_text().splitlines()]
    assert sorted(r.id for r in records) == names
    assert all(r.error is None for r in records), [r.error for r in records if r.error][:3]
    assert combined >= 10  # the long pages were read in parts and combined
