"""How many threads the in-process model runs: the cores this process may really use.

``os.cpu_count()`` counts every logical CPU of the host: hyper-threads (decoding is
memory-bound; two threads on one core's siblings decode slower than one), CPUs outside the
process's affinity (``taskset``), and CPUs beyond a container's CPU quota (a container limited
to 2 CPUs on a 64-core host would run 64 threads, each waiting on the others). llama.cpp's
threads meet at a barrier after every layer, so one thread that keeps losing its core stalls
all of them. The default is therefore:

* the CPUs in the process's affinity (:func:`os.sched_getaffinity`),
* counted as physical cores (hyper-thread siblings from
  ``/sys/devices/system/cpu/cpuN/topology/thread_siblings_list`` count once),
* capped by the cgroup CPU quota (v2 ``cpu.max``, v1 ``cpu.cfs_quota_us`` /
  ``cpu.cfs_period_us``), rounded down: a quota of 1.5 CPUs gives 1 thread,
* less the cores other processes keep busy when the model loads (the CPU time of the whole
  machine less this process's own, sampled over :data:`LOAD_SAMPLE_S` from ``/proc/stat``):
  measured on 2 cores, with one CPU-bound process beside it one thread decodes at 13.7
  tokens/s and two at 6.1 (README, "Threads"),
* at least 1.

``SUMMARIZER_THREADS`` (``Settings.threads``) overrides it. Every reader takes its source as an
argument so that tests fake affinity, topology and quota.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

SYS_CPU = Path("/sys/devices/system/cpu")
CGROUP_ROOT = Path("/sys/fs/cgroup")


@dataclass(frozen=True)
class ThreadChoice:
    """The thread count and why (logged with ``-v``)."""

    threads: int
    reason: str


def affinity() -> frozenset[int]:
    """The logical CPUs this process may run on."""
    try:
        return frozenset(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return frozenset(range(os.cpu_count() or 1))


def _cpu_list(text: str) -> frozenset[int]:
    """``"0-3,8"`` -> {0, 1, 2, 3, 8}."""
    found: set[int] = set()
    for part in text.strip().split(","):
        if "-" in part:
            low, high = part.split("-")
            found.update(range(int(low), int(high) + 1))
        elif part:
            found.add(int(part))
    return frozenset(found)


def physical_cores(cpus: Iterable[int], read: Callable[[Path], str] | None = None) -> int:
    """How many physical cores ``cpus`` (logical CPUs) stand on: siblings of one core count
    once. Where the topology cannot be read, every CPU counts."""
    read = read or (lambda path: path.read_text(encoding="ascii"))
    cores: set[frozenset[int]] = set()
    for cpu in cpus:
        try:
            siblings = _cpu_list(read(SYS_CPU / f"cpu{cpu}" / "topology" / "thread_siblings_list"))
        except (OSError, ValueError):
            siblings = frozenset({cpu})
        cores.add(siblings or frozenset({cpu}))
    return len(cores)


def cgroup_quota(
    read: Callable[[Path], str] | None = None, membership: str | None = None
) -> float | None:
    """The CPU quota of this process's cgroup in CPUs (1.5 = one and a half), or None without
    one. ``membership``: the text of ``/proc/self/cgroup``."""
    read = read or (lambda path: path.read_text(encoding="ascii"))
    if membership is None:
        try:
            membership = read(Path("/proc/self/cgroup"))
        except OSError:
            membership = ""
    v2_path, v1_path = "/", "/"
    for line in membership.splitlines():
        hierarchy, _, rest = line.partition(":")
        controllers, _, path = rest.partition(":")
        if hierarchy == "0" and controllers == "":
            v2_path = path or "/"
        elif "cpu" in controllers.split(","):
            v1_path = path or "/"
    candidates = [
        ("v2", CGROUP_ROOT / v2_path.lstrip("/") / "cpu.max"),
        ("v2", CGROUP_ROOT / "cpu.max"),
        ("v1", CGROUP_ROOT / "cpu" / v1_path.lstrip("/")),
        ("v1", CGROUP_ROOT / "cpu"),
    ]
    for version, path in candidates:
        try:
            if version == "v2":
                quota, _, period = read(path).strip().partition(" ")
                if quota == "max":
                    return None
                return int(quota) / int(period or "100000")
            quota_us = int(read(path / "cpu.cfs_quota_us").strip())
            if quota_us < 0:
                return None
            return quota_us / int(read(path / "cpu.cfs_period_us").strip())
        except (OSError, ValueError):
            continue
    return None


#: How long the machine's load is sampled before the model loads.
LOAD_SAMPLE_S = 0.5


def _busy_and_total_ticks(stat: str) -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs from the ``cpu`` line of ``/proc/stat``."""
    fields = [int(v) for v in stat.split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields[:8]) - idle, sum(fields[:8])


def busy_elsewhere(
    read_stat: Callable[[], str] | None = None,
    own_cpu_s: Callable[[], float] | None = None,
    sleep: Callable[[float], None] | None = None,
    cpus: int | None = None,
) -> float:
    """How many CPUs other processes keep busy, sampled over :data:`LOAD_SAMPLE_S` (0 where
    ``/proc/stat`` cannot be read)."""
    import time

    read_stat = read_stat or (lambda: Path("/proc/stat").read_text(encoding="ascii"))
    own_cpu_s = own_cpu_s or (lambda: sum(os.times()[:2]))
    sleep = sleep or time.sleep
    cpus = cpus or os.cpu_count() or 1
    try:
        busy0, total0 = _busy_and_total_ticks(read_stat())
        own0 = own_cpu_s()
        sleep(LOAD_SAMPLE_S)
        busy1, total1 = _busy_and_total_ticks(read_stat())
        own1 = own_cpu_s()
    except (OSError, ValueError, IndexError):
        return 0.0
    if total1 <= total0:
        return 0.0
    busy_cpus = (busy1 - busy0) / (total1 - total0) * cpus
    elapsed = (total1 - total0) / cpus / os.sysconf("SC_CLK_TCK") if cpus else LOAD_SAMPLE_S
    own_cpus = (own1 - own0) / max(elapsed, 1e-6)
    return max(0.0, busy_cpus - own_cpus)


def choose_threads(
    cpus: frozenset[int],
    cores: int,
    quota: float | None,
    configured: int | None = None,
    busy: float = 0.0,
) -> ThreadChoice:
    """The thread count for ``cpus`` (the affinity) on ``cores`` physical cores under
    ``quota`` CPUs, while other processes keep ``busy`` CPUs busy (rounded: 0.4 is noise);
    ``configured`` (``SUMMARIZER_THREADS``) wins."""
    if configured is not None:
        return ThreadChoice(configured, f"{configured} threads as configured (SUMMARIZER_THREADS)")
    threads = max(1, cores)
    parts = [f"{len(cpus)} CPUs in the affinity on {cores} physical cores"]
    if quota is not None:
        allowed = max(1, math.floor(quota))
        parts.append(f"a cgroup quota of {quota:g} CPUs")
        threads = min(threads, allowed)
    taken = round(busy)
    if taken >= 1:
        parts.append(f"{busy:.1f} CPUs busy with other processes")
        threads = max(1, threads - taken)
    return ThreadChoice(threads, f"{threads} threads: " + ", ".join(parts))


def default_threads(configured: int | None = None) -> ThreadChoice:
    """:func:`choose_threads` for this process, as the system reports it (the load sampled
    now)."""
    if configured is not None:
        return choose_threads(frozenset(), 0, None, configured)
    cpus = affinity()
    return choose_threads(cpus, physical_cores(cpus), cgroup_quota(), busy=busy_elsewhere())
