"""The CPU quota engines size their threads from: cgroup v2 cpu.max, cgroup v1 CFS
quota, then the affinity mask."""

from __future__ import annotations

import os
from pathlib import Path

from services.common.engines.cpus import cpu_quota, split_threads


def affinity() -> int:
    return len(os.sched_getaffinity(0))


def test_cgroup_v2_quota_caps_the_affinity(tmp_path: Path) -> None:
    """cpu.max "150000 100000" (1.5 CPUs) gives ceil(1.5) = 2, never above affinity."""
    (tmp_path / "cpu.max").write_text("150000 100000\n")
    assert cpu_quota(tmp_path) == min(2, affinity())
    (tmp_path / "cpu.max").write_text("50000 100000\n")
    assert cpu_quota(tmp_path) == 1


def test_cgroup_v2_without_quota_is_the_affinity(tmp_path: Path) -> None:
    """cpu.max "max 100000" (no quota) leaves the affinity mask."""
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert cpu_quota(tmp_path) == affinity()


def test_cgroup_v1_quota(tmp_path: Path) -> None:
    """cpu.cfs_quota_us / cpu.cfs_period_us; -1 is no quota."""
    base = tmp_path / "cpu"
    base.mkdir()
    (base / "cpu.cfs_quota_us").write_text("100000\n")
    (base / "cpu.cfs_period_us").write_text("100000\n")
    assert cpu_quota(tmp_path) == 1
    (base / "cpu.cfs_quota_us").write_text("-1\n")
    assert cpu_quota(tmp_path) == affinity()


def test_no_cgroup_files_is_the_affinity(tmp_path: Path) -> None:
    """Without cgroup files (not in a container) the affinity mask decides."""
    assert cpu_quota(tmp_path) == affinity()


def test_threads_are_shared_among_workers() -> None:
    """workers × threads never exceeds the CPUs; an explicit setting wins."""
    assert split_threads(0, 1, cpus=2) == 2
    assert split_threads(0, 2, cpus=2) == 1
    assert split_threads(0, 4, cpus=2) == 1
    assert split_threads(0, 2, cpus=8) == 4
    assert split_threads(3, 2, cpus=8) == 3
