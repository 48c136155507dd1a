"""Saved predictions to score without a model (``summarizer eval score``).

Accepted:

* a directory of ``ID.json`` or ``ID.LANG.json`` files, each an ``ArticleSummary`` as
  ``summarizer summarize --format json`` prints it (or an eval run's ``articles/ID.LANG.json``,
  which wraps one as ``prediction``);
* a batch results file (JSONL of batch records; the id of an article read from a directory is
  its file name, and ``000_x.txt`` scores as seed ``000_x``).

Every seed gets a result: a seed without a prediction scores as a failure (``schema_valid`` 0),
so a system cannot skip the hard articles; a prediction for an article that is not a seed is an
error. Offsets are not trusted: the metrics re-verify every span against the article.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from summarizer.batch.results import read_records
from summarizer.datamodel.errors import InputError
from summarizer.datamodel.schemas import ArticleSummary
from summarizer.datamodel.types import LANGUAGES, Language
from summarizer.evals.gold import Seed
from summarizer.evals.scoring import ArticleResult


def _summary(data: Any, where: str) -> ArticleSummary:
    if isinstance(data, dict) and "prediction" in data:
        data = data["prediction"]
    try:
        return ArticleSummary.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{where}: not an ArticleSummary ({place}: {first['msg']})") from None


def _from_directory(directory: Path) -> dict[tuple[str, Language | None], ArticleResult]:
    found: dict[tuple[str, Language | None], ArticleResult] = {}
    for path in sorted(directory.glob("*.json")):
        stem, _, language = path.stem.rpartition(".")
        if language not in LANGUAGES:
            stem, language = path.stem, ""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(f"{path}: cannot read ({exc})") from None
        if isinstance(data, dict) and data.get("prediction", 1) is None:
            declared = data.get("output_language") or language
            if declared not in LANGUAGES:
                raise InputError(
                    f"{path}: output_language: {declared!r} is not one of "
                    f"{', '.join(LANGUAGES)} (a failed prediction names the language it was for)"
                )
            result = ArticleResult(id=stem, output_language=declared)
            result.error = data.get("error") or "no prediction"
        else:
            summary = _summary(data, str(path))
            lang: Language = language or summary.output_language  # type: ignore[assignment]
            result = ArticleResult(id=stem, output_language=lang, prediction=summary)
        found[(result.id, result.output_language)] = result
    return found


def _from_batch(path: Path) -> dict[tuple[str, Language | None], ArticleResult]:
    found: dict[tuple[str, Language | None], ArticleResult] = {}
    for record in read_records(path):
        seed_id = PurePosixPath(record.id).stem if "." in record.id else record.id
        if record.summary is None:
            found[(seed_id, None)] = ArticleResult(
                id=seed_id,
                output_language="en",
                error=record.error.message if record.error else "no summary",
            )
            continue
        summary = record.summary.model_copy(update={"metadata": record.metadata})
        result = ArticleResult(
            id=seed_id, output_language=summary.output_language, prediction=summary
        )
        found[(seed_id, result.output_language)] = result
    return found


def load_predictions(source: Path, seeds: list[Seed]) -> list[ArticleResult]:
    """One result per seed (and per output language predicted), from ``source``."""
    if not source.exists():
        raise InputError(f"no such file or directory: {source}")
    found = _from_directory(source) if source.is_dir() else _from_batch(source)
    by_id = {seed.id: seed for seed in seeds}
    unknown = sorted({article for article, _ in found} - set(by_id))
    if unknown:
        raise InputError(f"predictions for articles that are not seeds: {', '.join(unknown[:5])}")
    results: list[ArticleResult] = []
    for seed in seeds:
        mine = [r for (article, _), r in found.items() if article == seed.id]
        for result in mine:
            if result.prediction is None:
                result.output_language = seed.label.language
        results += mine or [
            ArticleResult(id=seed.id, output_language=seed.label.language, error="no prediction")
        ]
    return results
