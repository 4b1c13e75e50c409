"""What a store holds (schema, rows, events, settings, permissions, modifications, files), taken
before install and after uninstall; the difference is what the package left behind."""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .store import Store

# Tables whose rows change by merely using the store (sessions, logins, visitor statistics,
# the installer's own history): their row counts say nothing about the package.
VOLATILE_TABLES = frozenset(
    {
        "session", "customer_online", "customer_ip", "customer_activity", "customer_search", "user_login",
        "user_authorize", "user_token", "api_session", "cart", "statistics", "product_viewed", "product_report",
        "notification", "extension_install", "extension_path", "modification", "event", "setting", "user_group",
        "extension", "customer_login", "user_history", "ssr",
    }
)  # fmt: skip
# Folders whose content changes on every request or is the installer's scratch space.
VOLATILE_DIRS = ("system/storage/cache/", "system/storage/logs/", "system/storage/session/", "system/storage/upload/", "image/cache/")
# Rewritten by every Refresh (or by 4.0's vendor step) with the same content: compared by content.
REWRITTEN = ("system/storage/modification/", "extension/ocmod/", "system/vendor.php")


@dataclass(frozen=True)
class Snapshot:
    """The parts of a store a package may change."""

    columns: dict[str, tuple[str, ...]]  # table (without prefix when it has the store's) → columns
    rows: dict[str, int]
    events: frozenset[tuple[str, str, str]]  # code, trigger, action
    settings: dict[tuple[str, str, str], str]  # (store_id, code, key) → value
    permissions: dict[str, frozenset[tuple[str, str]]]  # user group id → {(access|modify, route)}
    modifications: frozenset[tuple[str, str]]  # code, name
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # path → (size, mtime_ns or crc32)


def _strip(prefix: str, table: str) -> str:
    return table[len(prefix) :] if table.startswith(prefix) else "!" + table  # "!" marks a table outside the prefix


def take(store: Store) -> Snapshot:
    """Snapshot the store's database and files (one SQL batch, one walk)."""
    p = store.prefix
    cols = store.query("SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION")
    columns: dict[str, list[str]] = {}
    for row in cols:
        columns.setdefault(str(row["t"]), []).append(str(row["c"]))
    tables = sorted(columns)
    queries = []
    if tables:
        queries.append(" UNION ALL ".join(f"SELECT '{t}' AS t, COUNT(*) AS n FROM `{t}`" for t in tables))
    queries.append(f"SELECT `code`, `trigger`, `action` FROM `{p}event`")
    queries.append(f"SELECT `store_id`, `code`, `key`, `value` FROM `{p}setting`")
    queries.append(f"SELECT `user_group_id`, `permission` FROM `{p}user_group`")
    has_mod = f"{p}modification" in columns
    if has_mod:
        queries.append(f"SELECT `code`, `name` FROM `{p}modification`")
    results = store.sql.run(store.database, queries)
    counts = {_strip(p, str(r["t"])): int(r["n"] or 0) for r in results[0].rows} if tables else {}
    offset = 1 if tables else 0
    events = frozenset((str(r["code"]), str(r["trigger"]), str(r["action"])) for r in results[offset].rows)
    settings = {(str(r["store_id"]), str(r["code"]), str(r["key"])): str(r["value"]) for r in results[offset + 1].rows}
    permissions: dict[str, frozenset[tuple[str, str]]] = {}
    for r in results[offset + 2].rows:
        try:
            data = json.loads(str(r["permission"] or "{}"))
        except ValueError:
            data = {}
        pairs: set[tuple[str, str]] = set()
        if isinstance(data, dict):
            for kind, routes in data.items():
                if isinstance(routes, list):
                    pairs.update((str(kind), str(route)) for route in routes)
        permissions[str(r["user_group_id"])] = frozenset(pairs)
    modifications = frozenset((str(r["code"]), str(r["name"])) for r in results[offset + 3].rows) if has_mod else frozenset()
    return Snapshot({_strip(p, t): tuple(c) for t, c in columns.items()}, counts, events, settings, permissions, modifications, files(store.root))


def files(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under the store root except the volatile folders: path → (size, mtime_ns)."""
    out: dict[str, tuple[int, int]] = {}
    base = str(root)
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, base).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        dirnames[:] = sorted(d for d in dirnames if not (rel_dir + d + "/").startswith(VOLATILE_DIRS))
        for name in filenames:
            full = os.path.join(dirpath, name)
            try:
                st = os.lstat(full)
                if (rel_dir + name).startswith(REWRITTEN):
                    with open(full, "rb") as handle:
                        out[rel_dir + name] = (st.st_size, zlib.crc32(handle.read()))
                    continue
            except OSError:
                continue
            out[rel_dir + name] = (st.st_size, st.st_mtime_ns)
    return out


@dataclass(frozen=True)
class Leftover:
    """One difference between before-install and after-uninstall."""

    kind: str  # table, column, event, setting, setting-value, permission, modification, file, core-file, rows
    name: str
    detail: str = ""


def diff(before: Snapshot, after: Snapshot, *, ignore_permissions: frozenset[str] = frozenset()) -> list[Leftover]:
    """What ``after`` has that ``before`` had not (and core files that changed or vanished)."""
    out: list[Leftover] = []
    for table in sorted(set(after.columns) - set(before.columns)):
        out.append(Leftover("table", table.lstrip("!"), "outside the store's table prefix" if table.startswith("!") else ""))
    for table in sorted(set(after.columns) & set(before.columns)):
        for column in after.columns[table]:
            if column not in before.columns[table]:
                out.append(Leftover("column", f"{table.lstrip('!')}.{column}"))
    for table in sorted(set(before.columns) - set(after.columns)):
        out.append(Leftover("dropped-table", table.lstrip("!")))
    for code, trigger, action in sorted(after.events - before.events):
        out.append(Leftover("event", code, f"{trigger} → {action}"))
    for key in sorted(set(after.settings) - set(before.settings)):
        out.append(Leftover("setting", key[2], f"code {key[1]}, store {key[0]}"))
    for key in sorted(set(after.settings) & set(before.settings)):
        if key[2] in ("config_maintenance",) and after.settings[key] != before.settings[key]:
            out.append(Leftover("setting-value", key[2], f"{before.settings[key]!r} before install, {after.settings[key]!r} after uninstall"))
    for group in sorted(after.permissions):
        added = after.permissions[group] - before.permissions.get(group, frozenset())
        for kind, route in sorted(added):
            if route not in ignore_permissions:
                out.append(Leftover("permission", route, f"{kind}, user group {group}"))
    for code, name in sorted(after.modifications - before.modifications):
        out.append(Leftover("modification", code, name))
    for table in sorted(set(after.rows) & set(before.rows)):
        if table.lstrip("!") in VOLATILE_TABLES:
            continue
        if after.rows[table] > before.rows[table]:
            out.append(Leftover("rows", table.lstrip("!"), f"{after.rows[table] - before.rows[table]} more rows than before install"))
    for path in sorted(set(after.files) - set(before.files)):
        out.append(Leftover("file", path))
    for path in sorted(set(before.files) - set(after.files)):
        out.append(Leftover("core-file", path, "deleted"))
    for path in sorted(set(before.files) & set(after.files)):
        if before.files[path] != after.files[path]:
            out.append(Leftover("core-file", path, "changed"))
    return out
