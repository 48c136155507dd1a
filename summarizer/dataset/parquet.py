"""Consolidated events as a typed Parquet table (``pip install 'summarizer[analyst]'``).

Columns keep their types for pandas, Polars, DuckDB or Spark: ``date`` and each mention's
``published`` are ``date32``; ``fatalities`` and ``injured`` are the lowest figure claimed
(``int64``, null when none is); ``figures`` is a list of structs (kind, min, max, claims,
disagree) and ``mentions`` a list of structs with the evidence span and the casualty claims as
nested structs; the gazetteer's place (:mod:`summarizer.text.gazetteer`) is flat columns
(``latitude``/``longitude`` ``float64``, ``iso`` and ``geo_precision`` ``int64``, null where
unknown) so a map or a spatial join reads it directly; ``place`` is the place as the reports
write it, ``location`` the gazetteer's town, ``country`` the gazetteer's English name where it
knows the country. The file is written beside its target and renamed, mode 0600.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from summarizer.dataset.consolidate import Consolidated

#: The gazetteer's fields as Parquet columns (name, type name).
GEO_COLUMNS = [
    ("iso", "int64"),
    ("iso3", "string"),
    ("fips", "string"),
    ("region", "string"),
    ("admin1", "string"),
    ("admin2", "string"),
    ("location", "string"),
    ("latitude", "float64"),
    ("longitude", "float64"),
    ("geo_precision", "int64"),
    ("geonameid", "int64"),
]


def _day(text: object) -> date | None:
    try:
        return date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _lowest(event: Consolidated, kind: str) -> int | None:
    low = (event.figures.get(kind) or {}).get("min")
    return low if isinstance(low, int) else None


def _row(event: Consolidated) -> dict[str, Any]:
    return {
        "id": event.id,
        "event_type": event.event_type,
        "date": _day(event.date),
        "date_precision": event.date_precision,
        "place": event.place_name or event.place,
        "country": event.geo.get("country") or event.country_name or event.country,
        "actors": event.actors,
        "targets": event.targets,
        **{name: event.geo.get(name) for name, _ in GEO_COLUMNS},
        "fatalities": _lowest(event, "killed"),
        "injured": _lowest(event, "injured"),
        "figures": [{"kind": kind, **values} for kind, values in event.figures.items()],
        "mentions": [
            {
                "article": m.get("article"),
                "language": m.get("language"),
                "published": _day(m.get("published")),
                "event": m.get("event"),
                "description": m.get("description"),
                "source_attribution": m.get("source_attribution"),
                "evidence": {
                    k: (m.get("evidence") or {}).get(k)  # type: ignore[union-attr]
                    for k in ("text", "start", "end")
                },
                "casualty_claims": [
                    {k: c.get(k) for k in ("kind", "min", "max", "approximate", "claimant")}
                    for c in m.get("casualty_claims") or []  # type: ignore[union-attr]
                ],
            }
            for m in event.mentions
        ],
    }


def write_parquet(events: list[Consolidated], out: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    text, number = pa.string(), pa.int64()
    claim = pa.struct(
        [
            ("kind", text),
            ("min", number),
            ("max", number),
            ("approximate", pa.bool_()),
            ("claimant", text),
        ]
    )
    mention = pa.struct(
        [
            ("article", text),
            ("language", text),
            ("published", pa.date32()),
            ("event", number),
            ("description", text),
            ("source_attribution", text),
            ("evidence", pa.struct([("text", text), ("start", number), ("end", number)])),
            ("casualty_claims", pa.list_(claim)),
        ]
    )
    figure = pa.struct(
        [
            ("kind", text),
            ("min", number),
            ("max", number),
            ("claims", number),
            ("disagree", pa.bool_()),
        ]
    )
    schema = pa.schema(
        [
            ("id", text),
            ("event_type", text),
            ("date", pa.date32()),
            ("date_precision", text),
            ("place", text),
            ("country", text),
            ("actors", pa.list_(text)),
            ("targets", pa.list_(text)),
            *((name, pa.type_for_alias(kind)) for name, kind in GEO_COLUMNS),
            ("fatalities", number),
            ("injured", number),
            ("figures", pa.list_(figure)),
            ("mentions", pa.list_(mention)),
        ]
    )
    table = pa.Table.from_pylist([_row(e) for e in events], schema=schema)
    temporary = out.with_name(f".{out.name}.partial")
    pq.write_table(table, temporary)
    os.chmod(temporary, 0o600)
    os.replace(temporary, out)
