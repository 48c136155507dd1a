"""The lead baseline translated: the fair baseline for summaries in the other language.

The ``lead`` provider cannot translate, so on the other-language rows it scores 0 and says
nothing about what our translated summaries are worth. Here the lead baseline's headline and
sentences (``providers/lead.py``) are translated by the embedded model with the pipeline's own
translation step (``pipeline/translation.py``: one call per sentence, each translation checked
against its sentence, a failed one left out). Writes one ``ID.LANG.json`` per seed, in the
language it is not written in, for ``summarizer eval score``:

    python benchmarks/lead_translated.py /tmp/lead-translated
    summarizer eval score /tmp/lead-translated --suite evals/crosslingual.yaml --out RUN
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(directory: Path) -> None:
    from summarizer.datamodel.schemas import ArticleSummary
    from summarizer.datamodel.settings import Settings
    from summarizer.evals.gold import load_seeds
    from summarizer.inputs import article_request
    from summarizer.pipeline.translation import translated
    from summarizer.providers.lead import LeadBackend
    from summarizer.providers.local import LocalBackend
    from summarizer.text.lexicon import article_names
    from summarizer.text.segmentation import sentences

    directory.mkdir(parents=True, exist_ok=True)
    settings = Settings()
    backend = LocalBackend(settings)
    for seed in load_seeds(ROOT / "seeds"):
        language = seed.label.language
        other = "en" if language == "de" else "de"
        own = article_request(seed.text, language=language, output_language=language)
        lead = LeadBackend().build_summary(own)
        written = sentences(lead.summary)
        names = article_names(seed.text, language)
        texts, headline, _, flagged = asyncio.run(
            translated(
                replace(own, output_language=other),
                written,
                written,
                lead.headline,
                names,
                backend,
                settings,
            )
        )
        kept = [text for n, text in enumerate(texts) if n not in flagged]
        summary = ArticleSummary(
            language=language,
            output_language=other,
            headline=headline,
            summary=" ".join(kept),
        )
        path = directory / f"{seed.id}.{other}.json"
        path.write_text(summary.model_dump_json(indent=2), encoding="utf-8")
        print(f"{seed.id}: {len(kept)} of {len(texts)} sentences kept", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
