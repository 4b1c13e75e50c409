"""Real PHP of a given version (7.4 … 8.4): a native binary, or PHP compiled to WebAssembly.

OpenCart 3.0 packages must run on PHP 7.4 to 8.2, 4.0 on 8.0 to 8.2, 4.1 on 8.1 to 8.4, while a
machine usually has one PHP. ``find_php("7.4")`` looks for, in this order:

1. a native ``php7.4`` (Debian, Ubuntu's PPA) or ``php74`` (Alpine, Remi) on PATH, then ``php``
   itself when its version is 7.4.x;
2. the WebAssembly build of that version (npm packages ``@php-wasm/node-7-4`` …, run by Node 20.10
   or newer through ``data/php/wasm-run.mjs``), found in the first of:

   - ``$OCMOD_FORGE_PHP_WASM``: a folder where ``npm ci`` was run (holding ``node_modules/@php-wasm``)
     or that ``node_modules`` folder itself; ``off`` (or ``0``, ``no``, ``none``) turns the
     WebAssembly build off, and a folder without the packages means none is found;
   - ``tools/php-wasm/node_modules`` of the source checkout this module runs from
     (``cd tools/php-wasm && npm ci`` installs the versions pinned in its package-lock.json).

``lint(version, files)`` then checks each file as ``php -l`` would, with that PHP: its parser and
compiler through OPcache, nothing executed. The WebAssembly build lints all files in one Node
process (one PHP request per file, so each file is compiled alone, exactly as ``php -l FILE``); a
native PHP lints them in one process and confirms each compile error with ``php -l`` on that file
(a function declared in an earlier file would otherwise clash).

Nothing here prints; problems raise :class:`~ocmod_forge.errors.PhpVersionError`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from .errors import PhpVersionError

ENV_VAR = "OCMOD_FORGE_PHP_WASM"

# The versions tools/php-wasm/package.json pins; the npm packages also hold 5.2 and 8.5.
WASM_VERSIONS = ("7.4", "8.0", "8.1", "8.2", "8.3", "8.4")

# @php-wasm 3.1.54 declares node >= 20.10 (3.1.55 and later want Node 24).
MIN_NODE = (20, 10)

_DATA = Path(__file__).resolve().parent / "data" / "php"
LINT_SCRIPT = _DATA / "lint.php"
WASM_RUNNER = _DATA / "wasm-run.mjs"
# src/ocmod_forge/phpversions.py → the checkout root.
CHECKOUT_MODULES = Path(__file__).resolve().parents[2] / "tools" / "php-wasm" / "node_modules"

_VERSION_RE = re.compile(r"^(\d+)\.(\d+)$")
_OFF = {"off", "0", "no", "none", "false"}


@dataclass(frozen=True)
class Php:
    """One PHP that can run scripts: a native binary, or a WebAssembly build run by Node."""

    version: str  # the full version, as PHP_VERSION says: "7.4.33"
    kind: Literal["native", "wasm"]
    command: tuple[str, ...]  # what runs ``php SCRIPT ARGS``: the binary, or node + runner

    @property
    def branch(self) -> str:
        """``X.Y`` of :attr:`version`."""
        return ".".join(self.version.split(".")[:2])

    @property
    def label(self) -> str:
        """Which PHP answered, for reports: ``PHP 7.4.33 (WebAssembly)``, ``PHP 8.2.29 (/usr/bin/php8.2)``."""
        where = "WebAssembly" if self.kind == "wasm" else self.command[0]
        return f"PHP {self.version} ({where})"

    def cli_argv(self, script: str | os.PathLike[str], *args: str) -> list[str]:
        """The command line that runs ``php SCRIPT ARGS…`` with this PHP (paths are host paths)."""
        if self.kind == "wasm":
            return [*self.command, "cli", str(script), *args]
        return [*self.command, str(script), *args]

    def run(self, script: str | os.PathLike[str], *args: str, timeout: float = 300, cwd: str | os.PathLike[str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``php SCRIPT ARGS…`` and return what it printed and its exit status.

        The WebAssembly build sees the host's folders that hold the script, the arguments that
        are paths, and the current folder, at the same paths.
        """
        try:
            return subprocess.run(self.cli_argv(script, *args), capture_output=True, text=True, timeout=timeout, cwd=cwd, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PhpVersionError(f"{self.label} could not run {script}: {exc}") from exc


@dataclass(frozen=True)
class LintError:
    """What ``php -l`` reports for a file that does not compile."""

    line: int
    kind: str  # "Parse error" or "Fatal error"
    message: str

    def __str__(self) -> str:
        return f"PHP {self.kind}: {self.message} on line {self.line}"


@dataclass(frozen=True)
class LintReport:
    """The verdict of one PHP on each file given to :func:`lint`, in name order."""

    php: str  # Php.label of the PHP that answered
    version: str  # its PHP_VERSION
    errors: dict[str, LintError | None]  # name → the error, None when the file compiles
    notes: dict[str, tuple[tuple[int, str], ...]]  # name → (line, warning or deprecation) shown while compiling

    @property
    def failed(self) -> dict[str, LintError]:
        """Only the files that do not compile."""
        return {name: error for name, error in self.errors.items() if error is not None}


def _branch(version: str) -> str:
    match = _VERSION_RE.match(version.strip())
    if not match:
        raise PhpVersionError(f"PHP version {version!r} is not of the form X.Y (for example 7.4)")
    return f"{int(match.group(1))}.{int(match.group(2))}"


@lru_cache(maxsize=32)
def _native_version(executable: str) -> str | None:
    try:
        out = subprocess.run([executable, "-r", "echo PHP_VERSION;"], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    version = out.stdout.strip()
    return version if out.returncode == 0 and re.fullmatch(r"\d+\.\d+\.\d+\S*", version) else None


def find_native(version: str) -> Php | None:
    """A native PHP X.Y on PATH (``phpX.Y``, ``phpXY``, or ``php`` of that version), or None."""
    branch = _branch(version)
    for name in (f"php{branch}", f"php{branch.replace('.', '')}", "php"):
        executable = shutil.which(name)
        if executable is None:
            continue
        full = _native_version(executable)
        if full is not None and full.split(".")[:2] == branch.split("."):
            return Php(full, "native", (executable,))
    return None


def wasm_modules() -> Path | None:
    """The node_modules folder holding the @php-wasm packages (see the module docstring), or None."""
    setting = os.environ.get(ENV_VAR)
    if setting is not None and setting.strip().lower() in _OFF:
        return None
    if setting:
        folder = Path(setting).expanduser()
        for candidate in (folder / "node_modules", folder):
            if (candidate / "@php-wasm" / "universal" / "package.json").is_file():
                return candidate.resolve()
        return None
    if (CHECKOUT_MODULES / "@php-wasm" / "universal" / "package.json").is_file():
        return CHECKOUT_MODULES
    return None


@lru_cache(maxsize=4)
def _node(executable: str) -> bool:
    try:
        out = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return False
    match = re.match(r"v(\d+)\.(\d+)", out.stdout.strip())
    return match is not None and (int(match.group(1)), int(match.group(2))) >= MIN_NODE


def find_wasm(version: str) -> Php | None:
    """PHP X.Y compiled to WebAssembly, when Node (20.10+) and that version's package are installed."""
    branch = _branch(version)
    modules = wasm_modules()
    node = shutil.which("node")
    if modules is None or node is None or not _node(node):
        return None
    package = modules / "@php-wasm" / f"node-{branch.replace('.', '-')}"
    # The package holds its binary under asyncify/7_4_33/ (and jspi/7_4_33/): the full version.
    builds = sorted(p.name for p in package.glob("asyncify/*_*_*") if p.is_dir()) if package.is_dir() else []
    if not builds:
        return None
    full = builds[-1].replace("_", ".")
    return Php(full, "wasm", (node, str(WASM_RUNNER), "--modules", str(modules), "--php", branch))


def candidates_identity(version: str) -> str:
    """What decides which PHP :func:`find_php` picks for a version, read without running it: the
    binaries on PATH it would try, Node and the WebAssembly package. A cache keyed by this misses
    when any of them is installed, removed or upgraded."""
    from .toolinfo import file_identity

    branch = _branch(version)
    parts = [file_identity(found) if (found := shutil.which(name)) else f"{name}:none" for name in (f"php{branch}", f"php{branch.replace('.', '')}", "php", "node")]
    parts.append(f"{ENV_VAR}={os.environ.get(ENV_VAR, '')}")
    modules = wasm_modules()
    if modules is not None:
        package = modules / "@php-wasm" / f"node-{branch.replace('.', '-')}"
        parts.append(file_identity(str(package / "package.json")))
    return ":".join(parts)


def find_php(version: str, kinds: Sequence[Literal["native", "wasm"]] = ("native", "wasm")) -> Php | None:
    """The first PHP X.Y of the given kinds (native first by default), or None when there is none."""
    for kind in kinds:
        php = find_native(version) if kind == "native" else find_wasm(version)
        if php is not None:
            return php
    return None


def missing_reason(version: str, kinds: Sequence[Literal["native", "wasm"]] = ("native", "wasm")) -> str:
    """Why :func:`find_php` found no PHP of this version (of these kinds), in words a user can act on."""
    branch = _branch(version)
    why = [f"no php{branch} on PATH"] if "native" in kinds else []
    if "wasm" not in kinds:
        return f"PHP {branch} not found: " + "; ".join(why)
    setting = os.environ.get(ENV_VAR)
    if setting is not None and setting.strip().lower() in _OFF:
        why.append(f"the WebAssembly build is turned off ({ENV_VAR}={setting})")
    elif wasm_modules() is None:
        where = f"{ENV_VAR}={setting}" if setting else "tools/php-wasm"
        why.append(f"the WebAssembly build is not installed ({where}: run `npm ci` in tools/php-wasm, or point {ENV_VAR} at a folder where it ran)")
    elif shutil.which("node") is None:
        why.append("node is not on PATH")
    elif not _node(shutil.which("node") or "node"):
        why.append(f"node is older than {MIN_NODE[0]}.{MIN_NODE[1]}")
    elif branch not in WASM_VERSIONS:
        why.append(f"no WebAssembly build of PHP {branch} (have {', '.join(WASM_VERSIONS)})")
    else:
        why.append(f"the @php-wasm/node-{branch.replace('.', '-')} package is missing")
    return f"PHP {branch} not found: " + "; ".join(why)


def require_php(version: str, kinds: Sequence[Literal["native", "wasm"]] = ("native", "wasm")) -> Php:
    """Like :func:`find_php`, but raises PhpVersionError (with the reason) when there is none."""
    php = find_php(version, kinds)
    if php is None:
        raise PhpVersionError(missing_reason(version, kinds))
    return php


def _discard(proc: subprocess.Popen[str], folder: str) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    shutil.rmtree(folder, ignore_errors=True)


class LintJob:
    """A lint started in the background (:func:`start_lint`); :meth:`result` waits for it.

    The files are written under a private temporary folder, which :meth:`result` removes.
    """

    def __init__(self, php: Php, files: Mapping[str, str], timeout: float) -> None:
        self.php = php
        self.timeout = timeout
        self.folder = tempfile.mkdtemp(prefix="ocmod-forge-phpver-")
        # Our own short names: a package path may hold anything, the PHP message must not.
        self.names = {os.path.join(self.folder, f"f{index}.php"): name for index, name in enumerate(sorted(files))}
        try:
            for path, name in self.names.items():
                with open(path, "w", encoding="utf-8", errors="surrogateescape", newline="") as handle:
                    handle.write(files[name])
            listing = json.dumps(sorted(self.names))
            if php.kind == "wasm":
                argv = [*php.command, "lint", "-"]
                stdin: str | None = listing
            else:
                with open(os.path.join(self.folder, "files.json"), "w", encoding="utf-8") as handle:
                    handle.write(listing)
                argv = [*php.command, "-d", "opcache.enable=1", "-d", "opcache.enable_cli=1", "-d", "opcache.jit=0", str(LINT_SCRIPT), os.path.join(self.folder, "files.json")]
                stdin = None
            self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            self._stdin = stdin
        except (OSError, ValueError) as exc:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise PhpVersionError(f"{php.label} could not start: {exc}") from exc
        # A job nobody waits for must not leave PHP running or files behind.
        self._finalizer = weakref.finalize(self, _discard, self.proc, self.folder)

    def close(self) -> None:
        """Stop PHP if it still runs and remove the job's files (``result()`` does this too)."""
        self._finalizer()

    def _answer(self) -> dict[str, Any] | None:
        """lint.php's JSON; None when a native PHP has no OPcache (each file then gets ``php -l``)."""
        try:
            out, err = self.proc.communicate(self._stdin, timeout=self.timeout)
        except subprocess.TimeoutExpired as exc:
            self.proc.kill()
            self.proc.communicate()
            raise PhpVersionError(f"{self.php.label} did not finish linting within {self.timeout:g} s") from exc
        try:
            answer = json.loads(out)
        except ValueError:
            answer = None
        if self.php.kind == "native" and self.proc.returncode == 2 and "OPcache is not loaded" in err:
            return None
        if self.proc.returncode != 0 or not isinstance(answer, dict) or not isinstance(answer.get("results"), dict):
            tail = (err.strip() or out.strip())[-500:]
            raise PhpVersionError(f"{self.php.label} failed to lint (exit status {self.proc.returncode}): {tail}")
        return answer

    def _scrub(self, message: str) -> str:
        for path in sorted(self.names, key=len, reverse=True):  # f12.php before f1.php
            message = message.replace(path, self.names[path])
        return message.replace(self.folder + os.sep, "")

    def _confirm(self, path: str) -> LintError | None:
        """``php -l`` on one file: the verdict without any earlier file's declarations."""
        try:
            out = subprocess.run([*self.php.command, "-d", "display_errors=stderr", "-d", "log_errors=0", "-l", path], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PhpVersionError(f"{self.php.label} could not run php -l: {exc}") from exc
        if out.returncode == 0:
            return None
        match = re.search(r"(Parse error|Fatal error):\s*(.*) in " + re.escape(path) + r" on line (\d+)", out.stdout + out.stderr)
        if match is None:
            return LintError(0, "Fatal error", (out.stderr.strip() or out.stdout.strip() or "php -l failed")[-300:])
        return LintError(int(match.group(3)), match.group(1), match.group(2))

    def result(self) -> LintReport:
        """Wait for PHP and return its verdict on every file; PhpVersionError when it failed."""
        try:
            answer = self._answer()
            if answer is None:  # no OPcache: every file goes to `php -l` (_confirm)
                answer = {"php": self.php.version, "results": {path: [0, "Fatal error", ""] for path in self.names}, "notes": {}}
            results: dict[str, Any] = answer["results"]
            notes: dict[str, Any] = answer.get("notes") or {}
            if set(results) != set(self.names):
                raise PhpVersionError(f"{self.php.label} answered for other files than it was given")
            errors: dict[str, LintError | None] = {}
            found: dict[str, tuple[tuple[int, str], ...]] = {}
            for path, name in sorted(self.names.items(), key=lambda item: item[1]):
                value = results[path]
                error = None if value is None else LintError(int(value[0]), str(value[1]), self._scrub(str(value[2])))
                if error is not None and error.kind == "Fatal error" and self.php.kind == "native":
                    error = self._confirm(path)
                    error = None if error is None else LintError(error.line, error.kind, self._scrub(error.message))
                errors[name] = error
                if notes.get(path):
                    found[name] = tuple((int(line), self._scrub(str(text))) for line, text in notes[path])
            return LintReport(self.php.label, str(answer.get("php") or self.php.version), errors, found)
        finally:
            self.close()


def start_lint(version: str | Php, files: Mapping[str, str], timeout: float = 300) -> LintJob:
    """Start linting ``files`` (name → PHP source) with PHP ``version`` (``"7.4"``) or the given Php.

    Returns at once; PHP works while the caller does other things. PhpVersionError when no such
    PHP exists or it cannot start.
    """
    php = version if isinstance(version, Php) else require_php(version)
    return LintJob(php, files, timeout)


def lint(version: str | Php, files: Mapping[str, str], timeout: float = 300) -> LintReport:
    """Check every file as ``php -l`` would with PHP ``version`` (``"7.4"``) or the given Php.

    The report says which PHP answered (``PHP 7.4.33 (WebAssembly)``), the error of each file that
    does not compile (None for the others), and the warnings and deprecations PHP showed while
    compiling files that do. PhpVersionError when no such PHP exists, or it failed.
    """
    if not files:
        php = version if isinstance(version, Php) else require_php(version)
        return LintReport(php.label, php.version, {}, {})
    return start_lint(version, files, timeout).result()
