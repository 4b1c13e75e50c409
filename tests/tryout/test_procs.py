"""Processes try starts are gone afterwards: on success, on failure, on Ctrl-C and on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ocmod_forge.tryout.errors import StoreError
from ocmod_forge.tryout.procs import Processes, run_to_end, signals_interrupt, wait_until

SLEEPER = [sys.executable, "-c", "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie still answers kill(0): read its state.
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


def _group_members(pgid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().split(")")[-1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                out.append(int(entry))
    return out


pytestmark = pytest.mark.skipif(not Path("/proc").is_dir() or os.name != "posix", reason="needs Linux /proc to check process groups")


def test_stop_all_ends_the_process_and_its_children(tmp_path: Path) -> None:
    with Processes(grace=1.0) as procs:
        proc = procs.start("sleeper", SLEEPER, log=tmp_path / "out.log")
        wait_until(lambda: len(_group_members(proc.pid)) >= 2, 10, "the child to start")
    assert _group_members(proc.pid) == []
    assert procs.started == []


def test_failure_inside_the_block_still_stops(tmp_path: Path) -> None:
    procs = Processes(grace=1.0)
    with pytest.raises(StoreError), procs:
        proc = procs.start("sleeper", SLEEPER)
        raise StoreError("setup failed")
    assert _gone(proc.pid)


def test_wait_until_reports_a_dead_process(tmp_path: Path) -> None:
    log = tmp_path / "dead.log"
    with Processes() as procs:
        proc = procs.start("quitter", [sys.executable, "-c", "print('cannot bind'); raise SystemExit(3)"], log=log)
        with pytest.raises(StoreError, match=r"(?s)exited with status 3.*cannot bind"):
            wait_until(lambda: False, 10, "the port", proc)


def test_run_to_end_returns_output_and_kills_the_group_when_stopped(tmp_path: Path) -> None:
    assert run_to_end([sys.executable, "-c", "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"], timeout=30) == (3, b"out\n", b"err\n")
    pidfile = tmp_path / "grandchild"
    code = f"import subprocess, sys, time; p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); open({str(pidfile)!r}, 'w').write(str(p.pid)); time.sleep(60)"
    with pytest.raises(subprocess.TimeoutExpired):
        run_to_end([sys.executable, "-c", code], timeout=1.5)
    wait_until(lambda: pidfile.is_file() and pidfile.read_text() != "", 5, "the pid file")
    assert _gone(int(pidfile.read_text()))


def test_sigterm_becomes_an_interrupt() -> None:
    with pytest.raises(KeyboardInterrupt, match="SIGTERM"), signals_interrupt():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
    # The previous handler is back afterwards.
    assert signal.getsignal(signal.SIGTERM) is not None


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupting_ocmod_forge_stops_what_it_started(tmp_path: Path, sig: signal.Signals) -> None:
    """A separate Python process runs Processes like try does; it is interrupted while its
    child runs; afterwards the child's whole process group is gone."""
    pidfile = tmp_path / "pid"
    script = textwrap.dedent(
        f"""
        import sys, time
        from ocmod_forge.tryout.procs import Processes, signals_interrupt
        with signals_interrupt(), Processes(grace=1.0) as procs:
            proc = procs.start("sleeper", {SLEEPER!r})
            open({str(pidfile)!r}, "w").write(str(proc.pid))
            time.sleep(60)
        """
    )
    runner = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: pidfile.is_file() and pidfile.read_text() != "", 20, "the child's pid")
        child = int(pidfile.read_text())
        wait_until(lambda: len(_group_members(child)) >= 2, 10, "the grandchild")
        runner.send_signal(sig)
        runner.wait(20)
        wait_until(lambda: _group_members(child) == [], 5, "the group to end")
    finally:
        if runner.poll() is None:
            runner.kill()
    assert _gone(child)
