"""php processes started before the rules run and read when a rule needs their answer.

PHP's parser (PHP001) and Twig (TWG002) each cost a php start-up and real work; started at the
beginning of a lint they run on another core while the Python rules do theirs. Input goes
through a file (a pipe would block the start on large inputs); the process is killed and its
folder removed if nobody reads the answer.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import weakref
from abc import ABC, abstractmethod
from typing import Any

from ..toolinfo import file_identity, php_config_identity
from ..verdicts import NoVerdicts, VerdictFactory, VerdictStore


def _discard(proc: subprocess.Popen[str] | None, folder: str) -> None:
    if proc is not None and proc.poll() is None:
        proc.kill()
        proc.wait()
    shutil.rmtree(folder, ignore_errors=True)


class PhpJob:
    """``php [flags] -r SCRIPT -- FOLDER/input.json`` running in the background.

    ``files`` (name → text) are written into the job's private folder first; the script finds
    them next to its input (``dirname($argv[1])``). ``answer()`` waits for the JSON the script
    prints; ``close()`` (or garbage collection) removes the folder.
    """

    def __init__(self, php: str, flags: tuple[str, ...], script: str, payload: Any, files: dict[str, str] | None = None, timeout: float = 120) -> None:
        self.folder = tempfile.mkdtemp(prefix="ocmod-forge-php-")
        self.timeout = timeout
        self.proc: subprocess.Popen[str] | None = None
        try:
            for name, text in (files or {}).items():
                with open(os.path.join(self.folder, name), "w", encoding="utf-8", errors="surrogateescape", newline="") as handle:
                    handle.write(text)
            with open(os.path.join(self.folder, "input.json"), "w", encoding="utf-8", errors="surrogateescape") as handle:
                json.dump(payload, handle)
            self.proc = subprocess.Popen(
                [php, *flags, "-r", script, "--", os.path.join(self.folder, "input.json")],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        except (OSError, ValueError):
            self.proc = None  # answer() then says php could not run
        self._finalizer = weakref.finalize(self, _discard, self.proc, self.folder)

    def path(self, name: str) -> str:
        """A file in the job's private folder (for inputs the script reads by name)."""
        return os.path.join(self.folder, name)

    def answer(self) -> Any:
        """The JSON the script printed, or None when php could not run or printed no JSON."""
        if self.proc is None:
            return None
        try:
            out, _ = self.proc.communicate(timeout=self.timeout)
            return json.loads(out)
        except (subprocess.TimeoutExpired, ValueError, OSError):
            return None

    def close(self) -> None:
        """Stop php if it still runs and remove the job's folder."""
        self._finalizer()


def php_salt(php: str, *parts: str) -> str:
    """What a php verdict depends on besides the input: the binary, its ini locations, our script."""
    return "\0".join((file_identity(php), php_config_identity(), *parts))


def no_verdicts(name: str, salt: str) -> VerdictStore:
    """A verdict factory that remembers nothing (contexts made without a cache)."""
    return NoVerdicts()


class CachedPhpBatch(ABC):
    """Verdicts of one php script over many texts (by key): known ones at once from the verdict
    store the linter hands out (``Context.verdicts``), the rest from one php process started now
    and read by ``verdicts()``, so php can work while other rules run. Subclasses start the job
    and read its answer."""

    cache_name: str

    def __init__(self, php: str | None, texts: dict[str, str], salt: str, verdicts: VerdictFactory = no_verdicts) -> None:
        self.php = php
        self.empty = not texts
        self.known: dict[str, Any] = {}
        self.todo: dict[str, str] = {}
        self.job: PhpJob | None = None
        if php is None or not texts:
            return
        self.cache = verdicts(self.cache_name, php_salt(php, salt))
        self.known, self.todo = self.cache.split(texts)
        if self.todo:
            self.job = self.start(php, self.todo)

    @abstractmethod
    def start(self, php: str, todo: dict[str, str]) -> PhpJob:
        """Start php on the texts that are not cached."""

    @abstractmethod
    def read(self, php: str, job: PhpJob, answer: Any) -> dict[str, Any] | None:
        """The verdict for every key of ``todo`` from php's answer; None if it makes no sense."""

    def verdicts(self) -> dict[str, Any] | None:
        """Key → verdict for every text; None when php is missing or could not answer."""
        if self.php is None:
            return None
        if self.job is not None:
            job, self.job = self.job, None
            try:
                fresh = self.read(self.php, job, job.answer())
            finally:
                job.close()
            if fresh is None or set(fresh) != set(self.todo):
                return None
            self.cache.store(self.todo, fresh)
            self.known.update(fresh)
        return self.known
