"""What a probe of a server found (:mod:`summarizer.providers.probe`): per mechanism and schema
feature an outcome, the mode to use, what to adapt, and whether the server honours the
per-article constraints. Cached as JSON per base URL and model."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from typing import Literal

from summarizer.datamodel.types import Mode

Outcome = Literal["constrains", "ignored", "parses", "no_json", "rejected", "failed", "unknown"]
#: The schema features the per-article constrained schemas use (``enum`` is in every probe of
#: a mechanism).
CONSTRAINT_FEATURES = ("pattern", "maxLength", "anyOf")


@dataclass
class Result:
    outcome: Outcome
    detail: str = ""


@dataclass
class ProbeReport:
    """What a server did with each mechanism and feature, and the mode to use."""

    base_url: str
    model: str
    mechanisms: dict[str, Result] = field(default_factory=dict)
    features: dict[str, Result] = field(default_factory=dict)
    mode: Mode | None = None
    #: Mode json_schema sent as a json_object response format carrying the schema.
    json_object_schema: bool = False
    #: Schema features to adapt in every request: "$ref" inlined, "minItems" and "pattern"
    #: dropped (validation on our side still enforces them).
    adapt: list[str] = field(default_factory=list)
    probed_at: float = field(default_factory=time.time)

    @property
    def honours_constraints(self) -> bool:
        """Whether the server takes the per-article constrained schemas: the ``json_schema``
        response format itself constrains, with every feature those schemas use
        (:mod:`summarizer.constrained.models`).

        Servers that constrain only through ``tools`` or a ``json_object`` format carrying the
        schema (llama-cpp-python's server) are left out: its Python converter expands each
        bounded repetition of the sentence patterns into nested rules, and the restate
        call's eight bounded sentences killed the server process (measured; the probe's
        short pattern passes, and a probe that reproduced the crash would kill the server)."""
        return (
            self.mode is Mode.json_schema
            and not self.json_object_schema
            and all(
                self.features.get(name, Result("unknown")).outcome == "constrains"
                for name in CONSTRAINT_FEATURES
            )
        )

    @property
    def complete(self) -> bool:
        """No mechanism or feature was left unknown by a transient fault (only a complete
        report is cached)."""
        results = [*self.mechanisms.values(), *self.features.values()]
        return all(r.outcome != "unknown" for r in results)

    def to_json(self) -> str:
        data = asdict(self)
        data["mode"] = self.mode.value if self.mode else None
        return json.dumps(data, indent=2)

    @classmethod
    def from_json(cls, text: str) -> ProbeReport:
        data = json.loads(text)
        data["mechanisms"] = {k: Result(**v) for k, v in data["mechanisms"].items()}
        data["features"] = {k: Result(**v) for k, v in data["features"].items()}
        data["mode"] = Mode(data["mode"]) if data["mode"] else None
        return cls(**data)
