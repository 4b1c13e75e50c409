"""The checks of a try run as plain functions of what the store answered (no HTTP, no processes),
so that each can be tested with a few lines of text."""

from __future__ import annotations

import glob
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..manifest import FileBlock, Manifest, Operation
from .locate import expand_braces, path_matches
from .package import TryPackage
from .pages import add_markers, page_for_template
from .snapshot import Leftover

# Level of a message in the package's own code → TRY code.
LEVEL_CODE = {"error": "TRY010", "warning": "TRY011", "notice": "TRY012", "deprecated": "TRY013"}

_SQL_ERROR = re.compile(r"Error: (.*?)<br ?/?>\s*Error No: (\d+)<br ?/?>\s*(.*)", re.S)
_MYSQLI_ERROR = re.compile(r"mysqli_sql_exception: (.*)", re.S)
_MISSING_TABLE = re.compile(r"Table '(?:[^'.]*\.)?([^'.]+)' doesn't exist")


@dataclass(frozen=True)
class SqlFailure:
    """A failed query found in a PHP message: the server's error, the SQL when OpenCart shows it,
    and the table the server could not find (if that was the error)."""

    error: str
    sql: str = ""
    missing_table: str = ""


def sql_failure(text: str) -> SqlFailure | None:
    """OpenCart's DB driver throws ``Error: … Error No: … SQL``; PHP 8.1+ mysqli throws
    ``mysqli_sql_exception``. Anything else is not a failed query."""
    match = _SQL_ERROR.search(text)
    if match:
        error, sql = match.group(1).strip(), " ".join(match.group(3).split())[:300]
    else:
        native = _MYSQLI_ERROR.search(text)
        if not native:
            return None
        error, sql = native.group(1).strip(), ""
    missing = _MISSING_TABLE.search(error)
    return SqlFailure(error, sql, missing.group(1) if missing else "")


# ---- modifications --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotFound:
    """An operation OpenCart's Refresh could not apply (``NOT FOUND`` in ocmod.log)."""

    manifest: str  # package path of the manifest
    key: str  # the file, as the log names it (admin/view/template/…)
    search: str
    status: str  # the log's NOT FOUND line
    operation: Operation | None


def ocmod_not_found(log: str, manifests: Sequence[tuple[str, Manifest]]) -> list[NotFound]:
    """The NOT FOUND entries of the package's modifications in an ocmod.log excerpt.

    The log names the modification (``MOD: <name>``), the file (``FILE: <key>``), the search
    (``CODE:`` or ``REGEX:``) and then, when it failed, ``NOT FOUND - …``."""
    names = {(m.name or "").strip(): (path, m) for path, m in manifests}
    out: list[NotFound] = []
    current: tuple[str, Manifest] | None = None
    key = search = ""
    for raw in log.splitlines():
        line = raw.strip()
        if "MOD: " in raw and (line.startswith("MOD: ") or " - MOD: " in raw):
            current = names.get(raw.split("MOD: ", 1)[1].strip())
        elif line.startswith("FILE: "):
            key = line[len("FILE: ") :].replace("(sub modification) ", "").strip()
        elif line.startswith(("CODE: ", "REGEX: ")):
            search = line.split(": ", 1)[1]
        elif line.startswith("NOT FOUND") and current is not None:
            path, manifest = current
            out.append(NotFound(path, key, search, line, find_operation(manifest, key, search)))
    return out


def find_operation(manifest: Manifest, key: str, search: str) -> Operation | None:
    """The operation of ``manifest`` whose ``<file>`` matches ``key`` and whose search is ``search``."""
    for block in manifest.files:
        if not any(path_matches(p.replace("\\", "/"), key) for p in (block.path or "").split("|")):
            continue
        for op in block.operations:
            if op.search is not None and op.search.text.strip() == search.strip():
                return op
    return None


def unmatched_paths(manifests: Sequence[tuple[str, Manifest]], root: Path, series: str) -> list[tuple[str, FileBlock, str]]:
    """``<file path>`` parts that match no file under the store ``root`` (OpenCart skips them silently)."""
    heads = ("admin", "catalog", "system") if series == "3.0" else ("admin", "catalog", "system", "extension")
    out: list[tuple[str, FileBlock, str]] = []
    for mpath, manifest in manifests:
        for block in manifest.files:
            for part in (block.path or "").split("|"):
                part = part.replace("\\", "/")
                if part.split("/", 1)[0] not in heads:
                    continue  # OpenCart ignores other prefixes; the static rules report them
                if not any(Path(m).is_file() for alt in expand_braces(part) for m in glob.glob(str(root / alt))):
                    out.append((mpath, block, part))
    return out


@dataclass(frozen=True)
class ChangeCount:
    """How often one thing an ``<add>`` puts on a page shows there (after install minus before)."""

    manifest: str
    line: int  # the <add> line
    target: str  # the <file path>
    page: str  # page name
    what: str
    count: int
    conditional: bool


def change_counts(manifests: Sequence[tuple[str, Manifest]], skipped: set[tuple[str, int]], after: dict[str, str], before: dict[str, str]) -> list[ChangeCount]:
    """For each applied operation on a template rendered by one of the ``after`` pages: how
    often its static HTML ids (else its longest plain HTML line) show. ``skipped`` holds the
    (manifest, operation line) of operations Refresh did not apply."""
    out: list[ChangeCount] = []
    for mpath, manifest in manifests:
        if any((mpath, op.line) in skipped and op.error == "abort" for _b, op in manifest.operations()):
            continue  # the whole modification was rolled back
        for block in manifest.files:
            pages = [page_for_template(part.strip()) for part in (block.path or "").split("|")]
            aborted = False
            for op in block.operations:
                if (mpath, op.line) in skipped:
                    aborted = aborted or op.error != "skip"  # default and "log": the rest of the file is skipped
                    continue
                if aborted or op.add is None:
                    continue
                for page in pages:
                    if page is None or page.name not in after:
                        continue
                    now, then = after[page.name], before.get(page.name, "")
                    for marker in add_markers(op.add.text):
                        needle = f'id="{marker.text}"' if marker.is_id else marker.text
                        count = now.count(needle) - then.count(needle)
                        if count > 1 and not marker.is_id:
                            continue  # plain text may repeat legitimately (loops, several matches)
                        what = f"element id {marker.text!r}" if marker.is_id else f"text {marker.text[:80]!r}"
                        out.append(ChangeCount(mpath, op.add.line, block.path or "", page.name, what, count, marker.conditional))
    return out


def menu_counts(now: str, then: str, routes: Iterable[str]) -> dict[str, int]:
    """How many more links to each route the admin menu (``<nav id="column-left">``) has now."""

    def menu(html: str) -> str:
        match = re.search(r'<nav id="column-left".*?</nav>', html, re.S)
        return match.group(0) if match else html

    a, b = menu(now), menu(then) if then else ""
    out = {}
    for route in routes:
        pattern = re.compile(r"route=" + re.escape(route) + r"(?=[&\"'])")
        out[route] = len(pattern.findall(a)) - len(pattern.findall(b))
    return out


# ---- permissions and events -----------------------------------------------------------------------


def permission_key(route: str, series: str, startup_permission: str = "") -> str:
    """The permission OpenCart checks for ``route``: 4.x the route without method; 3.0 the first
    two segments, three under the type folders its startup/permission.php lists."""
    if series != "3.0":
        return re.split(r"[.|]", route, maxsplit=1)[0]
    typed = set(re.findall(r"'(extension/[a-z_]+)'", startup_permission))
    parts = route.split("/")
    key = "/".join(parts[:2])
    if len(parts) > 2 and key in typed:
        key += "/" + parts[2]
    return key


@dataclass(frozen=True)
class EventProblem:
    code: str
    trigger: str
    action: str
    reason: str


def event_problems(events: Iterable[tuple[str, str, str]], root: Path, series: str, version: tuple[int, ...]) -> list[EventProblem]:
    """Events whose action names no controller file or no method, or uses the wrong separator."""
    out: list[EventProblem] = []
    for code, trigger, action in events:
        folder = "catalog" if trigger.startswith("catalog/") else "admin"
        if series == "3.0":
            # 3.0 actions are route[/method]: the method is the part no file is named after.
            if (root / folder / "controller" / f"{action}.php").is_file():
                route, method = action, "index"
            else:
                route, method = action.rsplit("/", 1) if "/" in action else (action, "index")
            file = root / folder / "controller" / f"{route}.php"
        else:
            right, wrong = (".", "|") if version >= (4, 0, 2, 0) else ("|", ".")
            if wrong in action:
                out.append(EventProblem(code, trigger, action, f"the method separator is '{right}' in this release: the action never runs"))
                continue
            route, method = action.rsplit(right, 1) if right in action else (action, "index")
            m = re.match(r"^extension/([^/]+)/(.+)$", route)
            file = root / "extension" / m.group(1) / folder / "controller" / f"{m.group(2)}.php" if m else root / folder / "controller" / f"{route}.php"
        if not file.is_file():
            out.append(EventProblem(code, trigger, action, f"no controller file for {route}"))
        elif not re.search(r"function\s+" + re.escape(method) + r"\s*\(", file.read_text(encoding="utf-8", errors="replace"), re.I):
            out.append(EventProblem(code, trigger, action, f"{route} has no method {method}()"))
    return out


# ---- leftovers ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeftoverFinding:
    code: str
    message: str
    path: str = ""
    line: int = 0


def leftover_finding(left: Leftover, package: TryPackage, prefix: str, manifest_path: str) -> LeftoverFinding:
    """The TRY finding for one leftover, located where the package names the thing."""

    def at(*needles: str, prefer: str = "") -> tuple[str, int]:
        for needle in needles:
            found = package.find_literal(needle, prefer=prefer)
            if found:
                return found
        return "", 0

    name = left.name
    if left.kind in ("table", "column"):
        table = name.split(".", 1)[0]
        if left.detail:  # outside the store's prefix: a hard-coded name
            path, line = at(table, prefer="CREATE TABLE")
            return LeftoverFinding("TRY017", f"table `{table}` was created outside the store's prefix {prefix} and is still there after uninstall", path, line)
        if left.kind == "column":
            path, line = at(name.split(".", 1)[1], prefer="ALTER TABLE|ADD")
            return LeftoverFinding("TRY041", f"column {prefix}{name} is still there after uninstall", path, line)
        path, line = at(f'"{table}', f"'{table}", table, prefer="CREATE TABLE")
        return LeftoverFinding("TRY041", f"table {prefix}{table} is still there after uninstall", path, line)
    if left.kind == "dropped-table":
        path, line = at(f'"{name}', name, prefer="DROP TABLE")
        return LeftoverFinding("TRY041", f"table {prefix}{name} existed before install and is gone after uninstall", path, line)
    if left.kind == "event":
        path, line = at(name)
        return LeftoverFinding("TRY042", f"event {name} ({left.detail}) is still registered after uninstall", path, line)
    if left.kind == "setting":
        code = left.detail.split(",", 1)[0].replace("code ", "")
        path, line = at(name, code)
        return LeftoverFinding("TRY043", f"setting {name} ({left.detail}) is still there after uninstall", path, line)
    if left.kind == "setting-value":
        path, line = at(name)
        return LeftoverFinding("TRY043", f"setting {name} changed: {left.detail}", path, line)
    if left.kind == "permission":
        path, line = at(f"'{name}'", f'"{name}"', name)
        return LeftoverFinding("TRY044", f"permission {name} ({left.detail}) is still granted after uninstall", path, line)
    if left.kind == "modification":
        return LeftoverFinding("TRY045", f"modification {name} ({left.detail}) is still there after the package was uninstalled", manifest_path)
    if left.kind == "rows":
        return LeftoverFinding("TRY047", f"table {prefix}{name}: {left.detail}")
    source = next((p for p in package.tree if package.installed_path(p) == name), "")
    if left.kind == "file":
        return LeftoverFinding("TRY046", f"{name} is still in the store after uninstall", source)
    return LeftoverFinding("TRY048", f"core file {name} was {left.detail} by installing and uninstalling the package", source)


def class_line(text: str) -> int:
    """The line of the first class declaration (where a page's finding points)."""
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(r"\s*(?:abstract\s+|final\s+)?class\s", line):
            return number
    return 1


def has_index(text: str) -> bool:
    return re.search(r"function\s+index\s*\(", text, re.I) is not None


def alert_text(html: str) -> str:
    """The text of OpenCart's red alert in an HTML answer (3.0 extension lists show errors so)."""
    match = re.search(r'class="alert alert-danger[^"]*"[^>]*>(.*?)(?:<button|</div>)', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def plain(text: str) -> str:
    """HTML reduced to one line of text (for messages)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def table_location(package: TryPackage, table: str) -> tuple[str, int] | None:
    """Where the package names ``table`` (without prefix) in a query, for a failed query that
    came with no stack trace (OpenCart 4.0's exception handler prints none)."""
    return package.find_literal(f'"{table}', prefer="FROM|JOIN|INTO|UPDATE") or package.find_literal(table, prefer="FROM|JOIN|INTO|UPDATE")
