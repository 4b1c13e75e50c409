"""What uninstall leaves behind: the snapshot diff and the file walk."""

from __future__ import annotations

import os
from pathlib import Path

from helpers import write_tree
from ocmod_forge.tryout.snapshot import Snapshot, diff, files


def _shot(**kw: object) -> Snapshot:
    base: dict[str, object] = {
        "columns": {"product": ("product_id", "model"), "setting": ("key", "value")},
        "rows": {"product": 19, "session": 3, "layout_module": 10},
        "events": frozenset({("core", "admin/view/x/before", "event/x")}),
        "settings": {("0", "config", "config_maintenance"): "0", ("0", "config", "config_name"): "Store"},
        "permissions": {"1": frozenset({("access", "catalog/product")})},
        "modifications": frozenset(),
        "files": {"admin/index.php": (10, 1), "admin/language/en-gb/en-gb.php": (99, 5)},
    }
    base.update(kw)
    return Snapshot(**base)  # type: ignore[arg-type]


def test_identical_snapshots_have_no_leftovers() -> None:
    assert diff(_shot(), _shot()) == []


def test_every_kind_of_leftover() -> None:
    before = _shot()
    after = _shot(
        columns={"product": ("product_id", "model", "acme_flag"), "setting": ("key", "value"), "acme_log": ("id",), "!oc_acme": ("id",)},
        rows={"product": 19, "session": 9, "layout_module": 11, "acme_log": 0},
        events=before.events | {("acme_menu", "admin/view/common/column_left/before", "extension/module/acme/menu")},
        settings={**before.settings, ("0", "config", "config_maintenance"): "1", ("0", "module_acme", "module_acme_status"): "1"},
        permissions={"1": frozenset({("access", "catalog/product"), ("access", "extension/acme"), ("access", "extension/module/acme")})},
        modifications=frozenset({("acme", "Acme")}),
        files={"admin/index.php": (10, 1), "admin/language/en-gb/en-gb.php": (98, 7), "system/library/acme/x.php": (3, 1)},
    )
    lefts = {(left.kind, left.name) for left in diff(before, after, ignore_permissions=frozenset({"extension/module/acme"}))}
    assert lefts == {
        ("table", "acme_log"),
        ("table", "oc_acme"),
        ("column", "product.acme_flag"),
        ("event", "acme_menu"),
        ("setting", "module_acme_status"),
        ("setting-value", "config_maintenance"),
        ("permission", "extension/acme"),
        ("modification", "acme"),
        ("rows", "layout_module"),  # session rows are ignored: using the store adds them
        ("file", "system/library/acme/x.php"),
        ("core-file", "admin/language/en-gb/en-gb.php"),
    }


def test_table_outside_prefix_and_dropped_core_table() -> None:
    before = _shot()
    after = _shot(columns={"setting": ("key", "value"), "!oc_x": ("id",)})
    lefts = diff(before, after)
    assert [(left.kind, left.name, left.detail) for left in lefts] == [
        ("table", "oc_x", "outside the store's table prefix"),
        ("dropped-table", "product", ""),
    ]


def test_deleted_core_file() -> None:
    lefts = diff(_shot(), _shot(files={"admin/index.php": (10, 1)}))
    assert [(left.kind, left.name, left.detail) for left in lefts] == [("core-file", "admin/language/en-gb/en-gb.php", "deleted")]


def test_files_skip_volatile_folders_and_compare_the_cache_by_content(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "admin/index.php": "x",
            "system/storage/cache/cache.x": "1",
            "system/storage/logs/error.log": "1",
            "system/storage/session/s": "1",
            "image/cache/a.png": "1",
            "system/storage/modification/admin/x.twig": "same",
        },
    )
    first = files(root)
    assert sorted(first) == ["admin/index.php", "system/storage/modification/admin/x.twig"]
    # Refresh rewrites the cache: a new mtime with the same content is no change.
    cached = root / "system/storage/modification/admin/x.twig"
    cached.write_text("same")
    os.utime(cached, (1, 1))
    assert files(root) == first
    cached.write_text("diff")
    assert files(root)["system/storage/modification/admin/x.twig"] != first["system/storage/modification/admin/x.twig"]
