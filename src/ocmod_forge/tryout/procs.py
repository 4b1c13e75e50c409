"""Processes started by ``try`` (database server, PHP web server, Chromium) and their cleanup.

Every process is started in its own session, so a Ctrl-C typed at the terminal reaches only
ocmod-forge, which then stops exactly the processes it started (by process group id), first
politely (SIGTERM), then with SIGKILL. Nothing is ever stopped by name.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from .errors import StoreError


@dataclass
class Started:
    """A process this run started: its argv, log file and the Popen handle."""

    name: str
    argv: tuple[str, ...]
    popen: subprocess.Popen[bytes]
    log: Path | None = None

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None


@dataclass
class Processes:
    """The processes of one run. ``stop_all`` (also run by ``with``) stops each one started."""

    started: list[Started] = field(default_factory=list)
    grace: float = 3.0

    def start(self, name: str, argv: Sequence[str], *, log: Path | None = None, cwd: Path | None = None, env: dict[str, str] | None = None) -> Started:
        """Start ``argv`` in a new session with output to ``log`` (or nowhere)."""
        out = open(log, "ab") if log is not None else subprocess.DEVNULL  # noqa: SIM115 - the child keeps it
        try:
            popen = subprocess.Popen(list(argv), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env, start_new_session=True)
        except OSError as exc:
            raise StoreError(f"cannot start {name} ({argv[0]}): {exc.strerror}") from None
        finally:
            if log is not None and not isinstance(out, int):
                out.close()
        proc = Started(name, tuple(argv), popen, log)
        self.started.append(proc)
        return proc

    def stop(self, proc: Started) -> None:
        """Stop one started process and everything in its process group."""
        _signal_group(proc.pid, signal.SIGTERM)
        try:
            proc.popen.wait(self.grace)
        except subprocess.TimeoutExpired:
            _signal_group(proc.pid, signal.SIGKILL)
            proc.popen.wait(self.grace)
        # Children left in the group (PHP workers, Chromium helpers) go too.
        killed = False
        deadline = time.monotonic() + self.grace
        while _group_alive(proc.pid) and time.monotonic() < deadline + (self.grace if killed else 0):
            if not killed and time.monotonic() >= deadline:
                _signal_group(proc.pid, signal.SIGKILL)
                killed = True
            time.sleep(0.01)
        if proc in self.started:
            self.started.remove(proc)

    def stop_all(self) -> None:
        """Stop every process still owned, newest first (the web server before the database)."""
        for proc in reversed(list(self.started)):
            try:
                self.stop(proc)
            except (OSError, subprocess.TimeoutExpired):
                continue

    def detach(self) -> list[Started]:
        """Give up ownership (``--keep``): the processes keep running after ocmod-forge exits."""
        kept, self.started = self.started, []
        return kept

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_all()


def run_to_end(argv: Sequence[str], *, timeout: float, cwd: Path | None = None, stdin: bytes | None = None) -> tuple[int, bytes, bytes]:
    """Run ``argv`` to the end in its own session; (status, stdout, stderr). If anything stops
    the wait (Ctrl-C, a timeout), the whole process group is killed before the error goes on:
    installers such as mariadb-install-db start helpers that would outlive a plain kill."""
    proc = subprocess.Popen(list(argv), stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, start_new_session=True)
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
    except BaseException:
        _signal_group(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 5
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        raise
    return proc.returncode, out, err


def _group_alive(pgid: int) -> bool:
    """Whether any process of the group still runs. Zombies do not count: an orphan's exit
    status waits for PID 1, which in some containers reaps late or never."""
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    proc = Path("/proc")
    if not proc.is_dir():
        return True
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def _signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)  # start_new_session made pid the group id
    except ProcessLookupError:
        pass
    except PermissionError:
        pass


def wait_until(check: Callable[[], bool], timeout: float, what: str, proc: Started | None = None, interval: float = 0.02) -> None:
    """Poll ``check()`` until it is true; fail with the process log's tail if ``proc`` dies or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return
        if proc is not None and not proc.alive():
            raise StoreError(f"{proc.name} exited with status {proc.popen.returncode} while waiting for {what}{_tail(proc.log)}")
        if time.monotonic() > deadline:
            raise StoreError(f"timed out after {timeout:.0f} s waiting for {what}{_tail(proc.log if proc else None)}")
        time.sleep(interval)


def _tail(log: Path | None, lines: int = 6) -> str:
    if log is None or not log.is_file():
        return ""
    text = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-lines:]
    return ("\n" + "\n".join("  " + line for line in text)) if text else ""


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """While active, SIGTERM and SIGHUP raise KeyboardInterrupt as Ctrl-C does, so ``finally``
    blocks run and started processes are stopped (and the command exits as interrupted)."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"stopped by signal {signal.Signals(signum).name}")

    previous = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        try:
            previous[sig] = signal.signal(sig, handler)
        except ValueError:  # not the main thread: leave signals alone
            pass
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
