"""Consolidated events in the formats analysts load: the ACLED layout (:mod:`summarizer.dataset.
acled`), GDELT-style TSV, JSONL and Parquet (:mod:`summarizer.dataset.parquet`).

**GDELT-style rows** (our own layout with GDELT's column names, not GDELT 2.0's 61 columns):
one per mention (report), with the event's id, date as ``SQLDATE`` (YYYYMMDD), actors, a CAMEO
code where one fits (attack 190; 194 shelling, 195 air/drone strikes, 183 bombings; a threat
none; armed_clash 190, protest 141, meeting 040, statement 010, agreement 057, legal with
arrests 173), the place as the reports write it and GDELT's ``ActionGeo_*`` fields from the
offline gazetteer (``Type`` 1 country, 4 world city, 5 world state; ``CountryCode`` FIPS 10-4;
``FeatureID`` the GeoNames id; empty where unknown), the article as ``SOURCEURL`` and the
evidence's character offsets in the article.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from summarizer.dataset.acled import ACLED_COLUMNS, acled_rows, acled_type, claimed
from summarizer.dataset.consolidate import Consolidated

GDELT_COLUMNS = [
    "GLOBALEVENTID",
    "SQLDATE",
    "Actor1Name",
    "Actor2Name",
    "EventCode",
    "EventRootCode",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "NumMentions",
    "SOURCEURL",
    "MentionCharOffsetStart",
    "MentionCharOffsetEnd",
]
#: CAMEO codes of ACLED's remote-violence sub-events (CAMEO 1.1b3: 194 fight with artillery and
#: tanks, 195 employ aerial weapons, 183 conduct suicide, car or other non-military bombing).
_CAMEO_BY_SUB_EVENT = {
    "Shelling/artillery/missile attack": "194",
    "Air/drone strike": "195",
    "Suicide bomb": "183",
    "Remote explosive/landmine/IED": "183",
}


def cameo_code(event: Consolidated) -> str | None:
    """The CAMEO event code of ``event`` where one fits (module docstring)."""
    kind = event.event_type
    if kind == "attack":
        kinds = acled_type(event)
        if kinds is None:  # a threat: nothing happened
            return None
        return _CAMEO_BY_SUB_EVENT.get(kinds[1], "190")
    if kind == "legal" and claimed(event, "arrested"):
        return "173"
    return {
        "armed_clash": "190",
        "protest": "141",
        "meeting": "040",
        "statement": "010",
        "agreement": "057",
    }.get(kind)


def _blank(value: object) -> object:
    return "" if value is None else value


def _geo_type(event: Consolidated) -> object:
    """GDELT's ``ActionGeo_Type``: 4 a town, 5 a first-level region, 1 a country only."""
    geo = event.geo
    if geo.get("latitude") is not None:
        return 4
    if geo.get("admin1"):
        return 5
    return 1 if geo.get("iso") is not None else ""


def gdelt_rows(events: list[Consolidated]) -> list[dict[str, Any]]:
    """GDELT-style rows, one per mention (module docstring); ``GLOBALEVENTID`` is our event id
    (``E…``, never a number that could collide with GDELT's), ``EventCode`` a string (read it
    with ``dtype=str`` to keep "040")."""
    rows = []
    for event in events:
        code = cameo_code(event)
        geo = event.geo
        where = ", ".join(
            str(p)
            for p in (
                geo.get("location") or event.place_name or event.place,
                geo.get("admin1"),
                geo.get("country") or event.country_name or event.country,
            )
            if p
        )
        for mention in event.mentions:
            evidence = mention.get("evidence") or {}
            rows.append(
                {
                    "GLOBALEVENTID": event.id,
                    "SQLDATE": (event.date or "").replace("-", ""),
                    "Actor1Name": event.actors[0] if event.actors else "",
                    "Actor2Name": event.targets[0] if event.targets else "",
                    "EventCode": code or "",
                    "EventRootCode": code[:2] if code else "",
                    "ActionGeo_Type": _geo_type(event),
                    "ActionGeo_FullName": where,
                    "ActionGeo_CountryCode": event.geo.get("fips") or "",
                    "ActionGeo_Lat": _blank(event.geo.get("latitude")),
                    "ActionGeo_Long": _blank(event.geo.get("longitude")),
                    "ActionGeo_FeatureID": _blank(event.geo.get("geonameid")),
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
            import pyarrow  # noqa: F401
        except ImportError:
            from summarizer.datamodel.errors import ConfigurationError

            raise ConfigurationError(
                "parquet needs pyarrow: pip install 'summarizer[analyst]'"
            ) from None
        from summarizer.dataset.parquet import write_parquet

        write_parquet(events, out)
        return f"{len(events)} events"
    raise ValueError(f"unknown format {fmt!r}")
