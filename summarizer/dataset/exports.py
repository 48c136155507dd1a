"""Consolidated events in the formats analysts load: ACLED-style CSV, GDELT-style TSV, JSONL
and Parquet.

**ACLED crosswalk** (our event type -> ACLED event type / sub-event type). ACLED codes political
violence and demonstrations only; the other types (meeting, statement, economic, political,
disaster, accident, cyberattack, other) have no ACLED type and are left out of the CSV (the
command says how many):

================  =====================================  ===================================
ours              ACLED event_type                       sub_event_type
================  =====================================  ===================================
attack            Explosions/Remote violence             Air/drone strike (drone, missile,
                                                         air strike in the report), else
                  Violence against civilians             Attack
armed_clash       Battles                                Armed clash
protest           Protests                               Protest with intervention (arrests
                                                         claimed), else Peaceful protest
agreement         Strategic developments                 Agreement
legal             Strategic developments                 Arrests (arrests claimed), else Other
================  =====================================  ===================================

``time_precision`` follows ACLED's codes (1 day, 2 week, 3 month; a date that is only the
publication day is 2); ``geo_precision`` is 1 when a place is named, 3 for a country only;
``fatalities`` is the lowest killed figure any source claims (ACLED's conservative rule), 0
when none is claimed; ``source`` lists the reporting articles; ``notes`` is the first report's
description with the range of figures.

**GDELT-style rows**: one per mention (report), with the event's id, date as ``SQLDATE``
(YYYYMMDD), actors, a CAMEO root code where one fits (attack 19 or 195 for air/drone strikes,
armed_clash 190, protest 141, meeting 040, statement 010, agreement 057, legal with arrests 173),
the place, the article as ``SOURCEURL`` and the evidence's character offsets in the article.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from summarizer.dataset.consolidate import Consolidated

ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
]
GDELT_COLUMNS = [
    "GLOBALEVENTID",
    "SQLDATE",
    "Actor1Name",
    "Actor2Name",
    "EventCode",
    "EventRootCode",
    "ActionGeo_FullName",
    "NumMentions",
    "SOURCEURL",
    "MentionCharOffsetStart",
    "MentionCharOffsetEnd",
]
TIME_PRECISION = {"day": 1, "week": 2, "published": 2, "month": 3}
_REMOTE = re.compile(r"drohne|drone|rakete|missile|luftangriff|air ?strike|bomb", re.IGNORECASE)


def _claimed(event: Consolidated, kind: str) -> bool:
    figures = event.figures.get(kind) or {}
    return bool(figures.get("claims"))


def _text(event: Consolidated) -> str:
    return " ".join(str(m.get("description", "")) for m in event.mentions)


def acled_type(event: Consolidated) -> tuple[str, str] | None:
    """ACLED's (event_type, sub_event_type) of ``event``, or None (module docstring)."""
    kind = event.event_type
    if kind == "attack":
        if _REMOTE.search(_text(event)):
            return "Explosions/Remote violence", "Air/drone strike"
        return "Violence against civilians", "Attack"
    if kind == "armed_clash":
        return "Battles", "Armed clash"
    if kind == "protest":
        if _claimed(event, "arrested"):
            return "Protests", "Protest with intervention"
        return "Protests", "Peaceful protest"
    if kind == "agreement":
        return "Strategic developments", "Agreement"
    if kind == "legal":
        return "Strategic developments", "Arrests" if _claimed(event, "arrested") else "Other"
    return None


def cameo_code(event: Consolidated) -> str | None:
    kind = event.event_type
    if kind == "attack":
        return "195" if _REMOTE.search(_text(event)) else "190"
    if kind == "legal" and _claimed(event, "arrested"):
        return "173"
    return {
        "armed_clash": "190",
        "protest": "141",
        "meeting": "040",
        "statement": "010",
        "agreement": "057",
    }.get(kind)


def _fatalities(event: Consolidated) -> int:
    low = (event.figures.get("killed") or {}).get("min")
    return int(low) if isinstance(low, int) else 0


def acled_rows(events: list[Consolidated]) -> tuple[list[dict[str, Any]], int]:
    """The ACLED-style rows, and how many events have no ACLED type."""
    rows, skipped = [], 0
    for event in events:
        kinds = acled_type(event)
        if kinds is None or event.date is None:
            skipped += 1
            continue
        figures = "; ".join(
            f"{kind} {f.get('min')}-{f.get('max')}"
            + (" (sources disagree)" if f.get("disagree") else "")
            for kind, f in event.figures.items()
        )
        first = event.mentions[0] if event.mentions else {}
        rows.append(
            {
                "event_id_cnty": event.id,
                "event_date": event.date,
                "year": int(event.date[:4]),
                "time_precision": TIME_PRECISION.get(event.date_precision or "published", 2),
                "event_type": kinds[0],
                "sub_event_type": kinds[1],
                "actor1": event.actors[0] if event.actors else "",
                "actor2": event.actors[1] if len(event.actors) > 1 else "",
                "country": event.country or "",
                "admin1": "",
                "location": event.place or "",
                "geo_precision": 1 if event.place else 3,
                "source": "; ".join(sorted({str(m["article"]) for m in event.mentions})),
                "notes": f"{first.get('description', '')} [{figures}]"
                if figures
                else str(first.get("description", "")),
                "fatalities": _fatalities(event),
            }
        )
    return rows, skipped


def gdelt_rows(events: list[Consolidated]) -> list[dict[str, Any]]:
    rows = []
    for number, event in enumerate(events, start=1):
        code = cameo_code(event)
        for mention in event.mentions:
            evidence = mention.get("evidence") or {}
            rows.append(
                {
                    "GLOBALEVENTID": number,
                    "SQLDATE": (event.date or "").replace("-", ""),
                    "Actor1Name": event.actors[0] if event.actors else "",
                    "Actor2Name": event.actors[1] if len(event.actors) > 1 else "",
                    "EventCode": code or "",
                    "EventRootCode": code[:2] if code else "",
                    "ActionGeo_FullName": ", ".join(p for p in (event.place, event.country) if p),
                    "NumMentions": len(event.mentions),
                    "SOURCEURL": mention.get("article", ""),
                    "MentionCharOffsetStart": evidence.get("start"),
                    "MentionCharOffsetEnd": evidence.get("end"),
                }
            )
    return rows


def _delimited(rows: list[dict[str, Any]], columns: list[str], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def export(events: list[Consolidated], fmt: str, out: Path) -> str:
    """Write ``events`` to ``out`` in ``fmt``; a one-line account of what was written."""
    from summarizer.datamodel.files import write_private

    if fmt == "acled-csv":
        rows, skipped = acled_rows(events)
        write_private(out, _delimited(rows, ACLED_COLUMNS, ","))
        return f"{len(rows)} events ({skipped} of a type ACLED does not code left out)"
    if fmt == "gdelt-tsv":
        rows = gdelt_rows(events)
        write_private(out, _delimited(rows, GDELT_COLUMNS, "\t"))
        return f"{len(rows)} mentions of {len(events)} events"
    if fmt == "jsonl":
        write_private(
            out, "".join(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in events)
        )
        return f"{len(events)} events"
    if fmt == "parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            from summarizer.datamodel.errors import ConfigurationError

            raise ConfigurationError(
                "parquet needs pyarrow: pip install 'summarizer[analyst]'"
            ) from None
        table = pa.Table.from_pylist(
            [
                {
                    **asdict(e),
                    "mentions": json.dumps(e.mentions, ensure_ascii=False),
                    "figures": json.dumps(e.figures),
                }
                for e in events
            ]
        )
        temporary = out.with_name(f".{out.name}.partial")
        pq.write_table(table, temporary)
        os.chmod(temporary, 0o600)
        os.replace(temporary, out)
        return f"{len(events)} events"
    raise ValueError(f"unknown format {fmt!r}")
