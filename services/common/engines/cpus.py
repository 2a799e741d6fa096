"""How many CPUs this process may really use: the cgroup CPU quota (what a container's
`cpus:` or a pod's CPU limit sets), then the affinity mask, then os.cpu_count().

Engines size their thread pools from this, so a 2-CPU container on a 64-core node runs
2 threads, not 64 fighting over 2 CPUs' worth of quota.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

_CGROUP_ROOT = Path("/sys/fs/cgroup")


def _cgroup_v2_quota(root: Path) -> float | None:
    """cpu.max of this process's cgroup (v2): "max 100000" or "200000 100000"."""
    try:
        relative = ""
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            if line.startswith("0::"):
                relative = line[3:].strip().lstrip("/")
        candidates = [root / relative / "cpu.max", root / "cpu.max"] if relative else []
        candidates.append(root / "cpu.max")
        for path in candidates:
            if path.is_file():
                parts = path.read_text().split()
                return _ratio(parts[0], parts[1]) if len(parts) >= 2 else None
    except (OSError, ValueError):
        return None
    return None


def _cgroup_v1_quota(root: Path) -> float | None:
    """cpu.cfs_quota_us / cpu.cfs_period_us (cgroup v1); -1 means no quota."""
    for base in (root / "cpu", root / "cpu,cpuacct", root):
        try:
            quota = (base / "cpu.cfs_quota_us").read_text().strip()
            period = (base / "cpu.cfs_period_us").read_text().strip()
        except OSError:
            continue
        return _ratio("max" if quota == "-1" else quota, period)
    return None


def _ratio(quota: str, period: str) -> float | None:
    if quota == "max" or not period:
        return None
    value = int(quota) / int(period)
    return value if value > 0 else None


def cpu_quota(root: Path = _CGROUP_ROOT) -> int:
    """CPUs this process can use: ceil(cgroup quota), capped by its affinity mask."""
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        available = os.cpu_count() or 1
    quota = _cgroup_v2_quota(root)
    if quota is None:
        quota = _cgroup_v1_quota(root)
    if quota is not None:
        available = min(available, max(1, math.ceil(quota)))
    return max(1, available)


def split_threads(threads: int, workers: int, cpus: int | None = None) -> int:
    """Intra-op threads per worker: `threads` when set, else the quota shared out, so
    workers × threads never exceeds the CPUs the process has."""
    if threads > 0:
        return threads
    total = cpus if cpus is not None else cpu_quota()
    return max(1, total // max(1, workers))
