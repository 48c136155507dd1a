"""The blocking join in DuckDB, out of core (``events consolidate --engine duckdb``;
``pip install 'summarizer[analyst]'``).

The same candidates as :func:`summarizer.dataset.grouping.sweep_in_memory`, in the same order,
from one range join that DuckDB spills to disk when it outgrows ``memory_limit``: each block's
mentions as rows (block, mention, position by date, day, date slack), joined with the later
positions of their block within reach (``b.day - b.slack <= a.day + days + a.slack``),
ordered by block, position, level and position. Python then reads the candidates in batches
and decides which match, so the groups are the in-memory sweep's to the mention.

What it buys: the join's working set (all candidate pairs of a dense block) leaves Python's
memory; the mentions, their matching and the groups stay in it (2 GB for a million mentions,
see the README's scale table).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from summarizer.dataset.grouping import Candidate, in_date_order
from summarizer.dataset.mentions import Mention, Rule

#: DuckDB's memory for the join; beyond it, it spills to a temporary folder.
MEMORY_LIMIT = "1GB"
#: Candidate rows fetched from DuckDB at a time.
BATCH = 100_000

_JOIN = """
SELECT a.mention, b.slack, b.mention
FROM rows a JOIN rows b
  ON a.block = b.block AND b.position > a.position
 AND b.day - b.slack <= a.day + ? + a.slack
ORDER BY a.block, a.position, b.slack, b.position
"""


def sweep_in_duckdb(
    mentions: list[Mention], blocks: list[list[int]], rule: Rule, order: list[int]
) -> Iterator[Candidate]:
    """Each block's candidates from DuckDB (module docstring)."""
    import duckdb
    import pyarrow as pa

    columns: dict[str, list[int]] = {
        k: [] for k in ("block", "mention", "position", "day", "slack")
    }
    for block, members in enumerate(blocks):
        for position, i in enumerate(in_date_order(mentions, members, order)):
            columns["block"].append(block)
            columns["mention"].append(i)
            columns["position"].append(position)
            columns["day"].append(mentions[i].date.toordinal())  # type: ignore[union-attr]
            columns["slack"].append(mentions[i].slack)
    table = pa.table({name: pa.array(values, pa.int64()) for name, values in columns.items()})
    del columns
    with tempfile.TemporaryDirectory(prefix="summarizer-duckdb-") as spill:
        connection = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "temp_directory": spill})
        try:
            connection.register("rows", table)
            result = connection.execute(_JOIN, [rule.days])
            while batch := result.fetchmany(BATCH):
                yield from batch
        finally:
            connection.close()
