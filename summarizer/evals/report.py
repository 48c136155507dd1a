"""Write a run directory: per-article JSON, report.json, report.md and a self-contained
report.html (aggregate table with confidence intervals; per article, what went wrong first,
then the prediction next to the gold over the article text with the evidence highlighted)."""

from __future__ import annotations

import html
from pathlib import Path

import jinja2

from summarizer.datamodel.files import private_dir, write_private
from summarizer.evals.gold import Seed
from summarizer.evals.scoring import ArticleResult, RunReport
from summarizer.text.matching import locate


def format_score(value: float | None) -> str:
    """A score with three decimals, or a dash where the metric does not apply."""
    return "–" if value is None else f"{value:.3f}"


def format_interval(interval: tuple[float, float] | None) -> str:
    return "" if interval is None else f"{interval[0]:.3f} – {interval[1]:.3f}"


#: Headings of the problem lists, in the order the HTML report shows them.
PROBLEM_HEADINGS = {
    "missed_facts": "Key facts missed",
    "unsupported_items": "Items their evidence does not support",
    "contradicted_facts": "Key facts stated the wrong way round",
    "unsupported_claims": "Claims the judge found unsupported",
    "unsupported_numbers": "Numbers the article does not state",
    "ungrounded_spans": "Evidence or quotes not where they claim to be",
    "wrong_event_details": "Events with wrong details",
    "missing_events": "Gold events not found",
    "extra_events": "Predicted events matching no gold event",
    "wrong_speakers": "Quotes given to the wrong speaker",
    "missed_quotes": "Gold quotes not found",
    "missing_entities": "Gold entities not found",
    "extra_entities": "Predicted entities matching no gold entity",
    "run_warnings": "What the run dropped, cleared or flagged",
}


def _judge_quality(report: RunReport) -> str:
    quality = report.judge_quality
    if not quality:
        return ""
    verdict = "reliable" if report.judge_reliable else "**unreliable**: faithfulness gates nothing"
    return (
        f" - on its own check: true claims accepted {quality['true_accepted']:.2f}, false "
        f"claims caught {quality['false_caught']:.2f} ({verdict})"
    )


def report_markdown(report: RunReport, *, per_article: bool = True) -> str:
    """The run as Markdown: header and metric table, then (``per_article``) the per-article
    table and the errors."""
    lines = [
        f"# Eval run: {report.suite}",
        "",
        f"provider `{report.provider}`, model `{report.model}`, mode `{report.mode}`, "
        f"prompt version `{report.prompt_version}`; {report.articles} articles, "
        f"{report.failures} failed or missing, {report.empty} empty (both scored as the worst "
        f"value), {report.cache_hits} from cache; "
        f"{report.usage.prompt_tokens} prompt + {report.usage.completion_tokens} completion "
        f"tokens; {report.wall_s:.1f} s",
        "",
        *([f"LLM judge: `{report.judge}`{_judge_quality(report)}", ""] if report.judge else []),
        "| metric | mean | 95 % interval | threshold | |",
        "|---|---:|---:|---:|---|",
    ]
    thresholds = {t.metric: t for t in report.thresholds}
    for metric in report.metrics:
        t = thresholds.get(metric)
        verdict = "" if t is None else ("pass" if t.passed else "**FAIL**")
        limit = "" if t is None else f"{t.threshold:g}"
        mean = format_score(report.aggregates.get(metric))
        lines.append(
            f"| {metric} | {mean} | {format_interval(report.intervals.get(metric))} | {limit} "
            f"| {verdict} |"
        )
    if not per_article:
        return "\n".join(lines)
    lines += [
        "",
        "## Per article",
        "",
        "| article | lang | " + " | ".join(report.metrics) + " |",
        "|---|---|" + "---:|" * len(report.metrics),
    ]
    for r in report.per_article:
        cells = " | ".join(format_score(r.scores.get(m)) for m in report.metrics)
        name = r.id + (" (error)" if r.error else "")
        lines.append(f"| {name} | {r.output_language} | {cells} |")
    errors = [r for r in report.per_article if r.error]
    if errors:
        lines += ["", "## Errors", ""] + [f"- {r.id}: {r.error}" for r in errors]
    lines.append("")
    return "\n".join(lines)


def highlight(text: str, passages: list[str], css_class: str) -> str:
    """``text`` as HTML with every located passage wrapped in ``<mark class=css_class>``."""
    spans = sorted(
        (s.start, s.end) for s in (locate(p, text) for p in passages if p) if s is not None
    )
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, cursor = [], 0
    for start, end in merged:
        out.append(html.escape(text[cursor:start]))
        out.append(f'<mark class="{css_class}">{html.escape(text[start:end])}</mark>')
        cursor = end
    out.append(html.escape(text[cursor:]))
    return "".join(out)


def _predicted_passages(result: ArticleResult) -> list[str]:
    pred = result.prediction
    if pred is None:
        return []
    return (
        [p.evidence.text for p in pred.key_points]
        + [q.text for q in pred.quotes]
        + [e.evidence.text for e in pred.events]
    )


def _gold_passages(seed: Seed) -> list[str]:
    label = seed.label
    return (
        [f.evidence for f in label.key_facts]
        + [q.text for q in label.quotes]
        + [e.evidence for e in label.events]
    )


def to_html(report: RunReport, seeds: dict[str, Seed]) -> str:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("summarizer.evals", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )
    articles = []
    for result in report.per_article:
        seed = seeds[result.id]
        articles.append(
            {
                "result": result,
                "label": seed.label,
                "predicted_html": highlight(seed.text, _predicted_passages(result), "pred"),
                "gold_html": highlight(seed.text, _gold_passages(seed), "gold"),
            }
        )
    return env.get_template("report.html.j2").render(
        report=report,
        articles=articles,
        fmt=format_score,
        fmt_interval=format_interval,
        headings=PROBLEM_HEADINGS,
        thresholds={t.metric: t for t in report.thresholds},
    )


def write_run(report: RunReport, seeds: list[Seed], out_dir: Path) -> None:
    """Write every file of a run directory."""
    private_dir(out_dir)
    articles_dir = private_dir(out_dir / "articles")
    for result in report.per_article:
        write_private(articles_dir / f"{result.file_stem}.json", result.model_dump_json(indent=2))
    write_private(out_dir / "report.json", report.model_dump_json(indent=2))
    write_private(out_dir / "report.md", report_markdown(report))
    write_private(out_dir / "report.html", to_html(report, {s.id: s for s in seeds}))
