"""The in-process model's thread count: physical cores within the affinity and the cgroup CPU
quota, never ``os.cpu_count()`` of the host (faked affinity, topology and quota)."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.providers.threads import (
    busy_elsewhere,
    cgroup_quota,
    choose_threads,
    default_threads,
    physical_cores,
)


def files(contents: dict[str, str]):  # type: ignore[no-untyped-def]
    """A reader of fake files: ``contents`` by path, OSError for every other path."""

    def read(path: Path) -> str:
        if str(path) not in contents:
            raise FileNotFoundError(path)
        return contents[str(path)]

    return read


def siblings(pairs: dict[int, str]) -> dict[str, str]:
    return {
        f"/sys/devices/system/cpu/cpu{cpu}/topology/thread_siblings_list": text
        for cpu, text in pairs.items()
    }


def test_a_quota_of_one_and_a_half_cpus_on_64_cores_gives_one_thread() -> None:
    cpus = frozenset(range(64))
    choice = choose_threads(cpus, physical_cores(cpus, files({})), quota=1.5)
    assert choice.threads == 1
    assert "quota of 1.5 CPUs" in choice.reason and "64 CPUs in the affinity" in choice.reason


def test_hyper_thread_siblings_count_once() -> None:
    # 4 cores, 8 logical CPUs: cpu N and N+4 are siblings (a usual laptop layout).
    topology = siblings({n: f"{n % 4},{n % 4 + 4}" for n in range(8)})
    assert physical_cores(range(8), files(topology)) == 4
    assert choose_threads(frozenset(range(8)), 4, None).threads == 4
    # taskset to the two siblings of one core: one physical core, one thread.
    assert physical_cores({0, 4}, files(topology)) == 1


def test_the_affinity_limits_the_cores() -> None:
    topology = siblings({n: str(n) for n in range(64)})
    pinned = frozenset({3, 7})
    assert choose_threads(pinned, physical_cores(pinned, files(topology)), None).threads == 2


def test_cgroup_v2_and_v1_quotas_are_read_from_the_process_cgroup() -> None:
    v2 = files({"/sys/fs/cgroup/job/cpu.max": "150000 100000\n"})
    assert cgroup_quota(v2, "0::/job\n") == 1.5
    assert cgroup_quota(files({"/sys/fs/cgroup/cpu.max": "max 100000"}), "0::/\n") is None
    v1 = files(
        {
            "/sys/fs/cgroup/cpu/docker/abc/cpu.cfs_quota_us": "200000",
            "/sys/fs/cgroup/cpu/docker/abc/cpu.cfs_period_us": "100000",
        }
    )
    assert cgroup_quota(v1, "4:cpu,cpuacct:/docker/abc\n1:name=systemd:/\n") == 2.0
    unlimited = files(
        {"/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1", "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "1"}
    )
    assert cgroup_quota(unlimited, "4:cpu,cpuacct:/\n") is None
    assert cgroup_quota(files({}), "") is None  # nothing readable: no quota


@pytest.mark.parametrize(("quota", "threads"), [(0.5, 1), (1.0, 1), (2.9, 2), (16.0, 8)])
def test_the_quota_rounds_down_and_never_below_one(quota: float, threads: int) -> None:
    assert choose_threads(frozenset(range(8)), 8, quota).threads == threads


def test_the_configured_count_wins_and_says_so() -> None:
    choice = default_threads(configured=3)
    assert choice.threads == 3 and "SUMMARIZER_THREADS" in choice.reason


def test_this_machine_gets_at_most_its_cpus() -> None:
    import os

    choice = default_threads()
    assert 1 <= choice.threads <= len(os.sched_getaffinity(0))


def test_the_local_backend_logs_its_thread_count_and_why(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import logging

    from summarizer.datamodel.settings import Settings
    from summarizer.providers.local import LocalBackend

    with caplog.at_level(logging.INFO, logger="summarizer"):
        assert LocalBackend(Settings(provider="local", threads=1)).threads.threads == 1
    assert "local model: 1 threads as configured (SUMMARIZER_THREADS)" in caplog.text
    monkeypatch.setenv("SUMMARIZER_THREADS", "2")
    from summarizer.datamodel.settings import load_settings

    assert LocalBackend(load_settings(provider="local")).threads.threads == 2


def stat_lines(*busy_idle: tuple[int, int]):  # type: ignore[no-untyped-def]
    """A /proc/stat reader whose ``cpu`` line moves through (busy, idle) tick counts."""
    readings = iter(busy_idle)

    def read() -> str:
        busy, idle = next(readings)
        return f"cpu  {busy} 0 0 {idle} 0 0 0 0 0 0\ncpu0 ...\n"

    return read


def test_cores_busy_with_other_processes_are_left_to_them() -> None:
    """2 cores, 0.5 s sampled at 100 ticks/s = 100 ticks: 50 busy ticks are one CPU busy; this
    process used none of them, so another does, and the model gets the other core."""
    busy = busy_elsewhere(
        stat_lines((0, 0), (50, 50)), own_cpu_s=lambda: 0.0, sleep=lambda s: None, cpus=2
    )
    assert busy == pytest.approx(1.0)
    choice = choose_threads(frozenset({0, 1}), 2, None, busy=busy)
    assert choice.threads == 1 and "1.0 CPUs busy with other processes" in choice.reason
    assert choose_threads(frozenset({0, 1}), 2, None, busy=0.3).threads == 2  # noise
    assert choose_threads(frozenset({0}), 1, None, busy=2.0).threads == 1  # never 0


def test_this_process_own_work_is_not_counted_as_load() -> None:
    own = iter([0.0, 0.5])  # this process ran one CPU for the whole 0.5 s window
    busy = busy_elsewhere(
        stat_lines((0, 0), (50, 50)), own_cpu_s=lambda: next(own), sleep=lambda s: None, cpus=2
    )
    assert busy == pytest.approx(0.0, abs=0.05)
