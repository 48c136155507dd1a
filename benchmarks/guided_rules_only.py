"""The guided pipeline with the model taken out: what its rules alone give (issue 23's variant
table, the row "rules only").

The draft call returns no entities and the restate call gives back each chosen sentence as the
article writes it (the dateline dropped), so headline, summary, key points and event
descriptions are article sentences; quotes, sources, event records and figures are the rules'.
Same-language output only (nothing here translates). Writes one ``ID.LANG.json`` per seed, for
``summarizer eval score``:

    python benchmarks/guided_rules_only.py /tmp/rules-only
    summarizer eval score /tmp/rules-only --suite evals/default.yaml --out /tmp/rules-only-run
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent


class _NoDraft:
    """A draft without entities (what the model's one call would list)."""

    def __init__(self) -> None:
        self.entities: list[Any] = []

    def model_dump(self, warnings: bool = False) -> dict[str, Any]:
        return {"entities": [], "headline": "", "summary": "", "key_points": []}


def main(directory: Path) -> None:
    from summarizer.datamodel.schemas import ArticleSummary
    from summarizer.datamodel.settings import Settings
    from summarizer.evals.gold import load_seeds
    from summarizer.grounding.casualties import with_claims
    from summarizer.inputs import article_request
    from summarizer.pipeline import guided
    from summarizer.providers.local import LocalBackend
    from summarizer.text.lexicon import article_names

    async def no_draft(*_: Any, **__: Any) -> tuple[_NoDraft, guided.CallReport]:
        return _NoDraft(), guided.CallReport()

    async def as_written(
        _request: Any, sentences: list[str], *_: Any, **__: Any
    ) -> tuple[list[str], str, guided.CallReport]:
        return [guided.DATELINE.sub("", s) for s in sentences], "", guided.CallReport()

    directory.mkdir(parents=True, exist_ok=True)
    settings = Settings()
    policy = LocalBackend.policy(settings)
    with (
        mock.patch.object(guided, "structured_call", no_draft),
        mock.patch.object(guided, "_restate", as_written),
    ):
        for seed in load_seeds(ROOT / "seeds"):
            language = seed.label.language
            request = article_request(seed.text, language=language, output_language=language)
            fields, _ = asyncio.run(guided.guided_summary(request, None, settings, policy))  # type: ignore[arg-type]
            summary = ArticleSummary(language=language, output_language=language, **fields)
            with_claims(summary.events, seed.text, language, article_names(seed.text, language))
            path = directory / f"{seed.id}.{language}.json"
            path.write_text(summary.model_dump_json(indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
