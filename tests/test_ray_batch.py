"""``summarizer batch --ray``: articles run on a real Ray cluster started on 127.0.0.1 (Ray's own
``cluster_utils.Cluster``: a head without CPUs and two worker nodes of one CPU each, so one
worker process per node with one thread), the driver the only writer of the results file.

SmolLM2 serves the plumbing (20 articles, one worker killed mid-run: every article exactly
once, the same records as a local batch); the embedded model runs once for real on a cluster
that ``--ray local`` starts."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer.datamodel.schemas import BatchRecord
from tests.conftest import ROOT, SEED_ARTICLE
from tests.reference_checks import assert_reference_result

pytestmark = pytest.mark.slow


@pytest.fixture
def cluster() -> Iterator[Any]:
    from ray.cluster_utils import Cluster

    started = Cluster(
        initialize_head=True, head_node_args={"num_cpus": 0, "include_dashboard": False}
    )
    for _ in range(2):
        started.add_node(num_cpus=1)
    started.wait_for_nodes()
    yield started
    started.shutdown()


def _articles(folder: Path) -> list[str]:
    """The 16 seeds and 4 story articles: 20 files."""
    folder.mkdir()
    files = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "evals/stories").glob("*.txt"))
    for path in files[:20]:
        shutil.copy(path, folder / path.name)
    return sorted(p.name for p in files[:20])


def _batch(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "summarizer", "batch", *args]
    return subprocess.Popen(
        command,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _records(path: Path) -> list[BatchRecord]:
    return [BatchRecord.model_validate_json(line) for line in path.read_text().splitlines()]


def _content(record: BatchRecord) -> dict[str, Any]:
    """What a record says, without how long it took."""
    data = json.loads(record.model_dump_json(exclude={"metadata"}))
    if data.get("summary"):
        data["summary"].pop("metadata", None)
    if data.get("error"):
        data["error"] = data["error"]["type"]
    return data


def _worker_pids() -> list[int]:
    found = subprocess.run(["pgrep", "-f", "ray::ArticleWorker"], capture_output=True, text=True)
    return [int(pid) for pid in found.stdout.split()]


@pytest.mark.timeout(1800)
def test_a_worker_killed_mid_run_loses_and_repeats_nothing(
    cluster: Any, smollm2_path: Path, tmp_path: Path
) -> None:
    names = _articles(tmp_path / "in")
    # Same model, one thread and no prefix reuse on both sides: the same greedy replies
    # whichever worker (and in whichever order) an article runs.
    env = {
        "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache"),
        "SUMMARIZER_THREADS": "1",
        "SUMMARIZER_PREFIX_CACHE": "false",
        "SUMMARIZER_MAX_TOKENS": "400",
    }
    common = ["--provider", "local", "--model-path", str(smollm2_path), "--max-reasks", "0"]
    common += ["--no-cache", "--no-progress"]
    out = tmp_path / "ray.jsonl"
    run = _batch([str(tmp_path / "in"), "-o", str(out), *common, "--ray", cluster.address], env)
    deadline = time.monotonic() + 900
    while not (out.is_file() and len(out.read_text().splitlines()) >= 3):
        assert run.poll() is None, run.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.2)
    workers = _worker_pids()
    assert len(workers) == 2  # one per node
    os.kill(workers[0], signal.SIGKILL)  # mid-run: the other worker and the driver go on
    _, stderr = run.communicate(timeout=900)
    assert run.returncode in (0, 4), stderr  # SmolLM2's records may be errors
    assert "Traceback" not in stderr
    records = _records(out)
    assert sorted(r.id for r in records) == names  # every article exactly once
    assert "sent again after a Ray worker died" in stderr  # the killed worker's article

    local_out = tmp_path / "local.jsonl"
    local = _batch([str(tmp_path / "in"), "-o", str(local_out), *common], env)
    _, stderr = local.communicate(timeout=900)
    assert local.returncode in (0, 4), stderr
    expected = {r.id: _content(r) for r in _records(local_out)}
    assert {r.id: _content(r) for r in records} == expected


@pytest.mark.timeout(1800)
def test_the_embedded_model_on_a_ray_cluster_started_here(tmp_path: Path) -> None:
    """``--ray local`` on this machine: one node, one worker with all its cores and the
    embedded model loaded once; the reference article as in process."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_ARTICLE, folder / SEED_ARTICLE.name)
    shutil.copy(ROOT / "seeds" / "012_earthquake_en.txt", folder / "012_earthquake_en.txt")
    out = tmp_path / "out.jsonl"
    # The user cache, where the model was joined once (a fresh one would join it again);
    # no result cache read or written.
    args = [str(folder), "-o", str(out), "--provider", "local", "--no-cache", "--ray", "local"]
    run = _batch(args, {})
    _, stderr = run.communicate(timeout=1500)
    assert run.returncode == 0, stderr
    records = {r.id: r for r in _records(out)}
    assert sorted(records) == ["000_nordkorea_moskau_de.txt", "012_earthquake_en.txt"]
    reference = records["000_nordkorea_moskau_de.txt"].summary
    assert reference is not None
    assert_reference_result(reference, SEED_ARTICLE.read_text(encoding="utf-8"))
