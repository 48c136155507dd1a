"""Real pages on which the embedded model showed each failure class of issue 18 before the fix
(``tests/data/real_page_regressions.json``, measured with ``benchmarks/real_pages.py``): the
prompt leaking into a key point or description, a field in the wrong language, cut text and an
unsupported summary sentence. Each page runs through ``summarize PAGE.html`` on the embedded
model again, and none of those may reach the user unflagged: a field in the wrong language
or a summary sentence the article does not support must be gone or carry a warning; no text may
leak the prompt or stop mid-sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.datamodel.schemas import ArticleSummary
from summarizer.evals.pages import load_pages, pages_dir
from summarizer.inputs import extract_html
from tests.conftest import ROOT

BEFORE = json.loads((ROOT / "tests" / "data" / "real_page_regressions.json").read_text("utf-8"))
PAGES = {f"{p.country}/{p.name}": p for p in load_pages()} if (pages_dir() / "de").is_dir() else {}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not PAGES, reason=f"no corpus of real pages at {pages_dir()}"),
]


@pytest.mark.timeout(1200)
@pytest.mark.parametrize("name", sorted(BEFORE["pages"]))
def test_the_failure_seen_before_does_not_reach_the_user(name: str, tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from real_pages import failure_classes

    page = PAGES[name]
    path = tmp_path / f"{page.name}.html"
    path.write_text(page.html, encoding="utf-8")
    result = CliRunner().invoke(app, ["summarize", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    summary = ArticleSummary.model_validate_json(result.stdout)
    print(name, summary.model_dump_json(indent=1))
    assert summary.metadata is not None
    found = failure_classes(summary, extract_html(page.html, page.name).text)
    assert found["prompt_leak"] == [] and found["cut_text"] == []
    warned = " ".join(summary.metadata.warnings)
    for where in found["wrong_language"]:
        assert where in warned, f"{where} is in the wrong language without a warning"
    unsupported = found["unsupported_summary_sentence"]
    assert warned.count("is not supported by the article") >= len(unsupported)
