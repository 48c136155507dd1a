"""Real publisher pages through the whole tool (not a test; numbers go in the README).

For a sample of pages of ``../shared/corpus/news-pages`` (default: 6 German, 6 US), the HTML is
extracted as ``summarizer summarize page.html`` would, summarized by the configured provider
(default: the embedded model), and each result scored for:

* the failure classes of issue 18, by the run-time checks' own functions: a prompt leak (a
  model-written text repeating a template sentence or a run of 8 of its words), a field in the
  wrong language, cut text (a summary, key point or description that stops mid-sentence, a
  headline that stops mid-phrase), an unsupported summary sentence;
* schema validity, grounding (every evidence span and quote located), the support metrics of
  the eval harness, chrF of the headline against the publisher's title and of the summary
  against its teaser, and seconds per 1,000 words of article.

``--outputs DIR`` scores summaries saved earlier (``DIR/NAME.json``, ``summarize --format json``
output) instead of running the model: how the "before" column of the README was measured on the
code of that time.

    python benchmarks/real_pages.py --out benchmarks/results/real_pages.json
    python benchmarks/real_pages.py --outputs runs/pages-before --out .../real_pages_before.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.schemas import ArticleSummary
from summarizer.datamodel.settings import load_settings
from summarizer.evals.pages import Page, load_pages
from summarizer.evals.support_metrics import support_scores
from summarizer.grounding.quality import cut_off, leaked_prompt, wrong_language
from summarizer.inputs import Article, article_request, extract_html
from summarizer.pipeline import Summarizer
from summarizer.pipeline.summarizer import support_of
from summarizer.prompts import template_lines

SAMPLE = [
    "de/NDR_2023_04_28",
    "de/StuttgarterZeitung_2025_10_25",
    "de/MitteldeutscheZeitung_2024_04_30",
    "de/SpiegelOnline_2023_04_28",
    "de/NTV_2025_12_12",
    "de/Tagesschau_2023_04_28",
    "us/Reuters_2023_05_16",
    "us/WashingtonPost_2024_04_26",
    "us/FoxNews_2023_04_28",
    "us/WashingtonTimes_2023_04_28",
    "us/Reuters_2024_03_07",
    "us/TheGatewayPundit_2026_07_19",
]
CLASSES = ("prompt_leak", "wrong_language", "cut_text", "unsupported_summary_sentence")
#: Template sentences of the prompts before this round too (a leak of those counts as well).
EARLIER_TEMPLATE_SENTENCES = (
    "The article's published headline and date are between the first two markers below, "
    "the article between the last two.",
)


def _written(summary: ArticleSummary) -> list[tuple[str, str, bool]]:
    """(where, text, is a sentence) of every text the model wrote itself."""
    texts = [("headline", summary.headline, False), ("summary", summary.summary, True)]
    texts += [(f"key_points[{i}]", p.text, True) for i, p in enumerate(summary.key_points)]
    texts += [(f"events[{i}]", e.description, True) for i, e in enumerate(summary.events)]
    return [(where, text, sentence) for where, text, sentence in texts if text.strip()]


def failure_classes(summary: ArticleSummary, article: str) -> dict[str, list[str]]:
    """Where each failure class shows in ``summary`` (empty lists: it does not)."""
    templates = (*template_lines(), *EARLIER_TEMPLATE_SENTENCES)
    found: dict[str, list[str]] = {name: [] for name in CLASSES}
    for where, text, sentence in _written(summary):
        if leaked_prompt(text, templates):
            found["prompt_leak"].append(where)
        if wrong_language(text, summary.output_language):
            found["wrong_language"].append(where)
        if cut_off(text, sentence=sentence):
            found["cut_text"].append(where)
    request = ArticleRequest(article, summary.language, summary.output_language)
    supports = support_of(summary, request)
    found["unsupported_summary_sentence"] = [  # positions only: no page text in the results
        f"summary sentence {i}" for i, s in enumerate(supports, start=1) if not s.supported
    ]
    return found


def chrf(hypothesis: str, reference: str | None) -> float | None:
    if not reference or not hypothesis:
        return None
    from sacrebleu.metrics import CHRF

    return round(CHRF().sentence_score(hypothesis, [reference]).score / 100, 3)


def located(summary: ArticleSummary, article: str) -> bool:
    spans = [p.evidence for p in summary.key_points] + [e.evidence for e in summary.events]
    quotes = [(q.start, q.end, q.text) for q in summary.quotes]
    return all(s.start is not None and article[s.start : s.end] == s.text for s in spans) and all(
        start is not None and article[start:end] == text for start, end, text in quotes
    )


def score(
    page: Page, article: Article, summary: ArticleSummary | None, seconds: float | None
) -> dict[str, Any]:
    words = len(article.text.split())
    row: dict[str, Any] = {"page": page.name, "language": page.language, "words": words}
    if summary is None:
        return row | {"schema_valid": False}
    row |= {
        "schema_valid": True,
        "grounded": located(summary, article.text),
        "failures": failure_classes(summary, article.text),
        "headline_chrf_vs_title": chrf(summary.headline, page.reference.get("title")),
        "summary_chrf_vs_teaser": chrf(summary.summary, page.reference.get("teaser")),
        "seconds_per_1000_words": round(seconds / words * 1000, 1) if seconds else None,
        "warnings": len(summary.metadata.warnings) if summary.metadata else None,
    }
    row |= support_scores(summary, article.text, summary.output_language)
    return row


def run(names: list[str], outputs: Path | None) -> dict[str, Any]:
    pages = {f"{p.country}/{p.name}": p for p in load_pages()}
    summarizer = None if outputs else Summarizer(load_settings())
    rows = []
    for name in names:
        page = pages[name]
        article = extract_html(page.html, page.name)
        summary, seconds = None, None
        if outputs is not None:
            saved = outputs / f"{page.name}.json"
            try:
                summary = ArticleSummary.model_validate_json(saved.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                summary = None
            if summary is not None and summary.metadata is not None:
                seconds = summary.metadata.latency_s
        else:
            assert summarizer is not None
            request = article_request(article.text, title=article.title, date=article.date)
            started = time.perf_counter()
            try:
                summary = summarizer.summarize(request)
            except Exception as exc:  # a benchmark records every failure
                print(name, "failed:", exc)
            seconds = time.perf_counter() - started
        row = score(page, article, summary, seconds)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        rows.append(row)
    valid = [r for r in rows if r.get("schema_valid")]
    totals: dict[str, Any] = {
        "pages": len(rows),
        "schema_valid": len(valid),
        "grounded": sum(bool(r.get("grounded")) for r in valid),
    }
    for name in CLASSES:
        totals[f"pages_with_{name}"] = sum(bool(r["failures"][name]) for r in valid)
    for metric in (
        "key_point_support",
        "summary_support",
        "quote_support",
        "event_support",
        "headline_chrf_vs_title",
        "summary_chrf_vs_teaser",
        "seconds_per_1000_words",
    ):
        values = [r[metric] for r in valid if r.get(metric) is not None]
        totals[metric] = round(statistics.mean(values), 3) if values else None
    return {"totals": totals, "pages": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", nargs="+", default=SAMPLE, help="country/Name of each page")
    parser.add_argument("--outputs", type=Path, help="score saved summaries from this directory")
    parser.add_argument("--out", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    results = run(args.pages, args.outputs)
    print(json.dumps(results["totals"], indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")


if __name__ == "__main__":
    main()
