"""The exact bytes sent for every seed: messages and request bodies, pinned by digest.

``prompt_version`` hashes the templates and schemas, but code changes its inputs too (how the
article is segmented into the grammar's sentence choices, how the headline block is built, how
messages are rendered). This test renders every call of every seed and injection article, in
both output languages, with and without a published headline and date, constrained or not
(evidence copied or named by id), in every mode, and compares digests with
``tests/data/prompt_digests.json``. Bodies are hashed as a backend sends them: without the
kind declarations of :mod:`summarizer.constrained.kinds`, which every backend reads and takes
out (in modes ``json`` and ``md_json`` instructor writes the whole schema, declarations
included, into the system message). A deliberate prompt change updates the file:
``UPDATE_PROMPT_DIGESTS=1 pytest tests/test_prompt_snapshot.py``.
"""

from __future__ import annotations

import hashlib
import json
import os

from summarizer.constrained.kinds import without_declarations
from summarizer.datamodel.request import ArticleRequest, Published
from summarizer.datamodel.types import LANGUAGES, Mode, Task
from summarizer.pipeline.calls import call_inputs
from summarizer.prompts import prompt_version
from tests.conftest import ROOT

SNAPSHOT = ROOT / "tests" / "data" / "prompt_digests.json"
ARTICLES = sorted((ROOT / "seeds").glob("*.txt")) + sorted(
    (ROOT / "evals" / "injection").glob("*.txt")
)
PUBLISHED = [Published(), Published.of("Ein Titel", "2024-09-13"), Published.of("T", None)]
TASKS: tuple[Task, ...] = ("summary", "events", "combine")
#: (constrained, evidence by id): free schemas, constrained copying, constrained ids.
VARIANTS = ((False, False), (True, False), (True, True))


def digests() -> dict[str, str]:
    from instructor.processing import handle_response_model

    found = {"prompt_version": prompt_version()}
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8")
        language = "de" if path.stem.endswith("_de") else "en"
        for task in TASKS:
            for output_language in LANGUAGES:
                for published in PUBLISHED:
                    request = ArticleRequest(text, language, output_language, published)
                    for constrain, ids in VARIANTS:
                        messages, model = call_inputs(task, request, constrain=constrain, ids=ids)
                        bodies = [
                            without_declarations(
                                handle_response_model(
                                    model,
                                    mode=mode.instructor_mode(),
                                    messages=[dict(m) for m in messages],
                                    model="m",
                                )[1]
                            )
                            for mode in Mode
                            if mode is not Mode.auto
                        ]
                        blob = json.dumps([messages, bodies], sort_keys=True, ensure_ascii=False)
                        key = f"{path.stem}|{task}|{output_language}|{published}|{constrain}"
                        key += "|ids" if ids else ""
                        found[key] = hashlib.sha256(blob.encode()).hexdigest()[:16]
    return found


def test_prompts_and_request_bodies_are_unchanged() -> None:
    current = digests()
    if os.environ.get("UPDATE_PROMPT_DIGESTS"):
        SNAPSHOT.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n")
    pinned = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    changed = sorted(k for k in current.keys() | pinned.keys() if current.get(k) != pinned.get(k))
    assert not changed, (
        f"{len(changed)} rendered calls changed (first: {changed[:3]}); if on purpose, run "
        "UPDATE_PROMPT_DIGESTS=1 pytest tests/test_prompt_snapshot.py and commit the file"
    )
