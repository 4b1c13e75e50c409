"""The report cache: a lint report remembered under a digest of everything it depends on.

A rebuild of an unchanged project gives the same package bytes; running every rule over them
again would give the same report. The key covers the package (every path, byte and flag, and
the facts the zip reader noted), the project's SQL sources and settings, the target, the rule
selection, the code of this tool (every file of the installed package: rules, data), and the
external checkers (php and its ini locations, php-twig). Runs that read OpenCart trees
(``--opencart``/``--with``) are never cached. ``OCMOD_FORGE_NO_CACHE=1`` turns
it off like every other cache (cache.py).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import cache_dir, load_json, store_json
from .diagnostics import Diagnostic, Report, Severity, SkippedCheck
from .toolinfo import TWIG_AUTOLOAD, TWIG_ENVIRONMENT, file_identity, library_identity, php_config_identity

if TYPE_CHECKING:
    from .context import LintInput

_KEEP_REPORTS = 64
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


@lru_cache(maxsize=1)
def _code_identity() -> str:
    """Path, size and mtime of every file of this tool: any edit or upgrade changes it."""
    parts: list[str] = []
    for dirpath, dirnames, filenames in os.walk(_PACKAGE_DIR):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and d != "_bundled")
        for name in sorted(filenames):
            if not name.endswith((".pyc", ".pyo")):
                parts.append(file_identity(os.path.join(dirpath, name)))
    return "\n".join(parts)


def _fixed_identities(paths: tuple[Path, ...]) -> str | None:
    """Identities of OpenCart trees and other modifications that cannot change unseen: files
    (release zips, XML) by size and time, and releases in the release cache (never edited in
    place). None when one is a folder of the user's, which could change file by file."""
    from .releases import releases_dir

    cache = str(releases_dir().resolve()) + os.sep
    parts = []
    for path in paths:
        real = os.path.realpath(path)
        if os.path.isfile(real):
            parts.append(file_identity(real))
        elif real.startswith(cache):
            parts.append(file_identity(os.path.join(real, ".ocmod-forge-release")))
        else:
            return None
    return "\0".join(parts)


def _php_versions_identity(versions: tuple[str, ...]) -> str:
    """Which PHP answers each version (a native binary, the WebAssembly build, or none)."""
    if not versions:
        return ""
    from .phpversions import candidates_identity

    return "\0".join(f"{version}={candidates_identity(version)}" for version in versions)


def report_key(ctx: LintInput, select: Iterable[str], ignore: Iterable[str]) -> str | None:
    """The cache key of a lint run, or None when the run must not be cached."""
    trees = _fixed_identities(ctx.opencart_paths + ctx.with_paths)
    if trees is None:
        return None
    php = shutil.which("php")
    digest = hashlib.sha256()
    for part in (
        _code_identity(),
        file_identity(php) if php else "no php",
        php_config_identity(),
        library_identity("lxml", "sqlparse", "jinja2", "yaml"),
        file_identity(TWIG_AUTOLOAD),
        file_identity(TWIG_ENVIRONMENT),
        ctx.target,
        repr(ctx.package_name),
        repr(ctx.project),
        repr(sorted(select)),
        repr(sorted(ignore)),
        ctx.tree.kind,
        ctx.tree.origin,
        trees,
        repr(ctx.unchecked),
        repr(ctx.target_range),
        _php_versions_identity(ctx.php_versions),
        repr(ctx.tree.notes),
    ):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for path in ctx.tree:
        f = ctx.tree[path]
        digest.update(f"{path}\0{int(f.executable)}\0{f.source}\0".encode("utf-8", "surrogateescape"))
        digest.update(hashlib.sha256(f.data).digest())
    for path in sorted(ctx.sql_files):
        digest.update(f"sql\0{path}\0".encode("utf-8", "surrogateescape"))
        digest.update(hashlib.sha256(ctx.sql_files[path].encode("utf-8", "surrogateescape")).digest())
    return digest.hexdigest()


def cached_lint(ctx: LintInput, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Report:
    """``lint.lint`` with the report cache in front of it."""
    select, ignore = tuple(select), tuple(ignore)
    folder = cache_dir("reports")
    key = report_key(ctx, select, ignore) if folder is not None else None
    path = os.path.join(folder, key + ".json") if folder is not None and key is not None else None
    if path is not None:
        report = _load(path)
        if report is not None:
            return report
    from .lint import lint

    report = lint(ctx, select, ignore)
    if path is not None:
        _store(path, report)
    return report


def _load(path: str) -> Report | None:
    data = load_json(path)
    if data is None:
        return None
    try:
        return Report(
            diagnostics=tuple(Diagnostic(d[0], d[1], d[2], d[3], d[4], Severity(d[5]), d[6], d[7], d[8]) for d in data["diagnostics"]),
            skipped=tuple(SkippedCheck(*s) for s in data["skipped"]),
            ignored=tuple(str(code) for code in data["ignored"]),
            files_checked=int(data["files_checked"]),
        )
    except (ValueError, KeyError, TypeError, IndexError):
        return None  # another shape: lint for real


def _store(path: str, report: Report) -> None:
    data = {
        "diagnostics": [[d.path, d.line, d.col, d.code, d.name, int(d.severity), d.message, d.hint, d.built] for d in report.diagnostics],
        "skipped": [[s.code, s.name, s.reason] for s in report.skipped],
        "ignored": list(report.ignored),
        "files_checked": report.files_checked,
    }
    store_json(path, data, _KEEP_REPORTS)
