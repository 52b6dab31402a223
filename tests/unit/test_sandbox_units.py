"""The sandbox's pure logic: statuses, output streams, cgroup discovery and accounting files.

The cgroup tests point the code at fake cgroup trees made of plain files in
tmp_path; nothing here touches the real /sys/fs/cgroup.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from sandbox import Limits, MiB, Status
from sandbox.cgroups import (
    CgroupError,
    Usage,
    V1Group,
    V1Hierarchy,
    V2Group,
    V2Hierarchy,
    _mounts,
    find_hierarchy,
    remove_stale,
)
from sandbox.monitor import Stream
from sandbox.outcome import decide, signal_name

LIMITS = Limits(cpu_time=2, memory=64 * MiB, file_size=1 * MiB)
NO_PID = 2**22 + 1  # above the largest pid_max: never a live process


def exited(code: int) -> int:
    """A waitpid status: exited with `code`."""
    return code << 8


def killed(number: int) -> int:
    """A waitpid status: killed by signal `number`."""
    return number


def outcome(
    exit_status: int | None,
    killed_for: tuple[Status, str] | None = None,
    cpu_time: float = 0.1,
    oom_kills: int = 0,
    memory_limit_hit: bool = False,
) -> tuple[Status, str]:
    return decide(LIMITS, exit_status, killed_for, cpu_time, oom_kills, memory_limit_hit)


class TestDecide:
    def test_exit_zero_is_ok(self) -> None:
        assert outcome(exited(0)) == (Status.OK, "")

    def test_non_zero_exit_is_re(self) -> None:
        assert outcome(exited(3)) == (Status.RE, "exit code 3")

    def test_a_limit_the_supervisor_killed_for_wins_over_cpu_time(self) -> None:
        reason = (Status.OLE, "output limit of 1 bytes exceeded")
        assert outcome(None, reason, cpu_time=5) == reason

    def test_an_oom_kill_wins_over_a_later_wall_time_kill(self) -> None:
        reason = (Status.TLE, "wall time limit of 5 s exceeded")
        assert outcome(None, reason, oom_kills=1)[0] == Status.MLE

    def test_cpu_time_at_the_limit_is_tle(self) -> None:
        status, message = outcome(exited(0), cpu_time=LIMITS.cpu_time)
        assert status == Status.TLE
        assert "CPU time limit of 2 s" in message

    def test_oom_kill_is_mle(self) -> None:
        status, message = outcome(killed(signal.SIGKILL), oom_kills=1)
        assert status == Status.MLE
        assert "64 MiB" in message

    def test_oom_kill_of_another_process_is_mle_even_if_the_program_exits_zero(self) -> None:
        assert outcome(exited(0), oom_kills=2)[0] == Status.MLE

    def test_unknown_exit_status_is_ie(self) -> None:
        assert outcome(None)[0] == Status.IE

    def test_sigxfsz_is_ole(self) -> None:
        status, message = outcome(killed(signal.SIGXFSZ))
        assert status == Status.OLE
        assert str(LIMITS.file_size) in message

    def test_sigxcpu_is_tle(self) -> None:
        assert outcome(killed(signal.SIGXCPU))[0] == Status.TLE

    def test_a_signal_after_the_memory_limit_was_hit_is_mle(self) -> None:
        assert outcome(killed(signal.SIGSEGV), memory_limit_hit=True)[0] == Status.MLE

    def test_failed_exit_after_the_memory_limit_was_hit_is_mle(self) -> None:
        status, message = outcome(exited(1), memory_limit_hit=True)
        assert status == Status.MLE
        assert "allocation" in message

    def test_success_after_the_memory_limit_was_hit_is_ok(self) -> None:
        assert outcome(exited(0), memory_limit_hit=True)[0] == Status.OK

    def test_sigsys_is_re_and_says_why(self) -> None:
        status, message = outcome(killed(signal.SIGSYS))
        assert status == Status.RE
        assert "SIGSYS" in message
        assert "forbidden system call" in message

    @pytest.mark.parametrize("number", [signal.SIGSEGV, signal.SIGABRT, signal.SIGKILL])
    def test_other_signals_are_re_by_name(self, number: signal.Signals) -> None:
        assert outcome(killed(number)) == (Status.RE, f"killed by {number.name}")

    def test_exit_statuses_are_decoded_like_waitpid_s(self) -> None:
        assert os.WIFEXITED(exited(3)) and os.WEXITSTATUS(exited(3)) == 3
        assert os.WIFSIGNALED(killed(9)) and os.WTERMSIG(killed(9)) == 9

    def test_signal_names(self) -> None:
        assert signal_name(signal.SIGSEGV) == "SIGSEGV"
        assert signal_name(99) == "signal 99"


class TestStream:
    def test_keeps_everything_under_its_size(self) -> None:
        stream = Stream(keep=10)
        stream.feed(b"hello")
        stream.feed(b"world")
        assert (bytes(stream.data), stream.total, stream.truncated) == (b"helloworld", 10, False)

    def test_keeps_the_first_bytes_and_counts_the_rest(self) -> None:
        stream = Stream(keep=4)
        for chunk in (b"ab", b"cdef", b"gh"):
            stream.feed(chunk)
        assert (bytes(stream.data), stream.total, stream.truncated) == (b"abcd", 8, True)

    def test_empty_chunks_change_nothing(self) -> None:
        stream = Stream(keep=4)
        stream.feed(b"")
        assert (bytes(stream.data), stream.total, stream.truncated) == (b"", 0, False)

    def test_keeping_nothing(self) -> None:
        stream = Stream(keep=0)
        stream.feed(b"x")
        assert (bytes(stream.data), stream.truncated) == (b"", True)


MOUNTINFO_V1 = """\
25 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / {root}/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct
35 31 0:32 / {root}/memory rw,relatime - cgroup cgroup rw,memory
39 31 0:36 / {root}/pids rw,relatime - cgroup cgroup rw,pids
40 31 0:37 / {root}/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / {root}/unified rw,relatime - cgroup2 cgroup2 rw
"""


def fake_v1_tree(root: Path) -> str:
    """Directories for a v1 layout (cpuacct shares a mount with cpu); its mountinfo."""
    for name in ("cpu,cpuacct", "memory", "pids", "systemd", "unified"):
        (root / name).mkdir()
    (root / "unified" / "cgroup.controllers").write_text("\n")  # v2 without controllers
    return MOUNTINFO_V1.format(root=root)


def fake_v2_tree(root: Path, controllers: str) -> str:
    (root / "cgroup.controllers").write_text(controllers + "\n")
    (root / "cgroup.subtree_control").write_text("")
    return f"30 1 0:26 / {root} rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"


class TestMounts:
    def test_parses_path_type_and_super_options(self) -> None:
        mounts = _mounts(MOUNTINFO_V1.format(root="/sys/fs/cgroup"))
        memory = next(mount for mount in mounts if mount.path == Path("/sys/fs/cgroup/memory"))
        assert memory.fstype == "cgroup"
        assert memory.options == {"rw", "memory"}
        assert [mount.fstype for mount in mounts].count("cgroup2") == 1

    def test_optional_fields_do_not_shift_the_fields(self) -> None:
        mounts = _mounts("32 31 0:29 / /a rw shared:9 master:2 - cgroup cgroup rw,cpu,cpuacct\n")
        assert (mounts[0].path, mounts[0].fstype) == (Path("/a"), "cgroup")
        assert "cpuacct" in mounts[0].options

    def test_escaped_spaces_in_paths(self) -> None:
        mounts = _mounts(r"30 1 0:26 / /my\040cgroups rw - cgroup2 cgroup2 rw" + "\n")
        assert mounts[0].path == Path("/my cgroups")

    def test_skips_malformed_lines(self) -> None:
        assert _mounts("garbage\n\n1 2 3 - cgroup\n") == []


@pytest.fixture
def as_root() -> None:
    """find_hierarchy only looks for cgroups as root (unprivileged: rlimits)."""
    assert os.geteuid() == 0, "these tests need root, as the sandbox itself does"


@pytest.mark.usefixtures("as_root")
class TestFindHierarchy:
    def test_v2_with_the_controllers(self, tmp_path: Path) -> None:
        mountinfo = fake_v2_tree(tmp_path, "cpuset cpu io memory hugetlb pids")
        for group in ("judge", "judge/runs"):  # what the kernel would create on mkdir
            write_files(tmp_path / group, {"cgroup.subtree_control": ""})
        hierarchy = find_hierarchy("judge/runs", mountinfo)
        assert isinstance(hierarchy, V2Hierarchy)
        assert hierarchy.parent == tmp_path / "judge" / "runs"
        assert hierarchy.parent.is_dir()
        # Controllers are enabled all the way down to the parent.
        for path in (tmp_path, tmp_path / "judge", tmp_path / "judge" / "runs"):
            assert (path / "cgroup.subtree_control").read_text() == "+memory +pids +cpu"

    def test_v2_lacking_a_controller_says_which(self, tmp_path: Path) -> None:
        mountinfo = fake_v2_tree(tmp_path, "cpu memory")
        with pytest.raises(CgroupError, match="pids"):
            find_hierarchy("judge", mountinfo)

    def test_v1_when_v2_has_no_memory_controller(self, tmp_path: Path) -> None:
        hierarchy = find_hierarchy("judge", fake_v1_tree(tmp_path))
        assert isinstance(hierarchy, V1Hierarchy)
        assert hierarchy.parents == {
            "memory": tmp_path / "memory" / "judge",
            "pids": tmp_path / "pids" / "judge",
            "cpuacct": tmp_path / "cpu,cpuacct" / "judge",
        }
        assert all(path.is_dir() for path in hierarchy.parents.values())

    def test_v1_lacking_a_controller_is_none(self, tmp_path: Path) -> None:
        mountinfo = fake_v1_tree(tmp_path)
        without_pids = "\n".join(line for line in mountinfo.splitlines() if "pids" not in line)
        assert find_hierarchy("judge", without_pids) is None

    def test_no_cgroups_at_all_is_none(self) -> None:
        assert find_hierarchy("judge", "25 1 8:1 / / rw - ext4 /dev/sda1 rw\n") is None


def write_files(directory: Path, files: dict[str, str]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text)


class TestUsage:
    def test_v1_usage(self, tmp_path: Path) -> None:
        write_files(tmp_path / "cpuacct", {"cpuacct.usage": "1500000000\n"})
        write_files(
            tmp_path / "memory",
            {
                "memory.max_usage_in_bytes": "134217728\n",
                "memory.oom_control": "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n",
                "memory.failcnt": "7\n",
            },
        )
        group = V1Group({name: tmp_path / name for name in ("cpuacct", "memory")})
        assert group.usage() == Usage(
            cpu_time=1.5, memory_peak=128 * MiB, oom_kills=2, memory_limit_hit=True
        )

    def test_v1_usage_of_a_quiet_run(self, tmp_path: Path) -> None:
        write_files(tmp_path / "cpuacct", {"cpuacct.usage": "0\n"})
        write_files(
            tmp_path / "memory",
            {
                "memory.max_usage_in_bytes": "4096\n",
                "memory.oom_control": "oom_kill_disable 0\nunder_oom 0\n",  # before Linux 4.13
                "memory.failcnt": "0\n",
            },
        )
        group = V1Group({name: tmp_path / name for name in ("cpuacct", "memory")})
        assert group.usage() == Usage(
            cpu_time=0.0, memory_peak=4096, oom_kills=0, memory_limit_hit=False
        )

    def test_v2_usage(self, tmp_path: Path) -> None:
        write_files(
            tmp_path,
            {
                "cpu.stat": "usage_usec 250000\nuser_usec 200000\nsystem_usec 50000\n",
                "memory.events": "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 0\n",
                "memory.peak": "67108864\n",
                "memory.current": "4096\n",
            },
        )
        assert V2Group(tmp_path).usage() == Usage(
            cpu_time=0.25, memory_peak=64 * MiB, oom_kills=1, memory_limit_hit=True
        )

    def test_v2_without_memory_peak_reads_memory_current(self, tmp_path: Path) -> None:
        write_files(
            tmp_path,
            {
                "cpu.stat": "usage_usec 0\n",
                "memory.events": "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n",
                "memory.current": "8192\n",
            },
        )
        assert V2Group(tmp_path).usage() == Usage(
            cpu_time=0.0, memory_peak=8192, oom_kills=0, memory_limit_hit=False
        )


def test_remove_stale_keeps_the_groups_of_live_supervisors(tmp_path: Path) -> None:
    for name in (f"run-{NO_PID}-0", f"run-{NO_PID}-1", f"run-{os.getpid()}-0", "run-x", "other"):
        (tmp_path / name).mkdir()
    remove_stale(tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["other", f"run-{os.getpid()}-0"]


def test_remove_stale_without_a_parent_does_nothing(tmp_path: Path) -> None:
    remove_stale(tmp_path / "missing")
    assert not (tmp_path / "missing").exists()
