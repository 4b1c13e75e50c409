"""The core-file list (src/ocmod_forge/data/core-3.0.tsv) against facts stated in ocmod-facts §7.2 P7."""

from __future__ import annotations

import pytest

from ocmod_forge.rules.pth import ALLOWED, core_files

TAGS = ["3.0.0.0", "3.0.0.2", "3.0.1.1", "3.0.1.2", "3.0.2.0", "3.0.3.0", "3.0.3.1", "3.0.3.2", "3.0.3.3", "3.0.3.4", "3.0.3.5", "3.0.3.6", "3.0.3.7", "3.0.3.8", "3.0.3.9", "3.0.4.0", "3.0.4.1", "3.0.5.0", "3.0.5.1"]


def in_tag(ranges: str, tag: str) -> bool:
    for part in ranges.split(","):
        first, _, last = part.partition("-")
        if TAGS.index(first) <= TAGS.index(tag) <= TAGS.index(last or first):
            return True
    return False


@pytest.mark.parametrize(
    "tag, folder, count",
    [("3.0.3.8", "admin/language/", 235), ("3.0.3.8", "catalog/view/theme/", 207), ("3.0.3.8", "system/library/", 50), ("3.0.3.8", "system/config/", 8), ("3.0.0.0", "admin/language/", 277)],
)
def test_counts_per_tag(tag: str, folder: str, count: int) -> None:
    assert sum(1 for path, ranges in core_files().items() if path.startswith(folder) and in_tag(ranges, tag)) == count


def test_every_path_is_under_an_allowed_folder_and_tags_are_known() -> None:
    core = core_files()
    assert len(core) > 3000
    for path, ranges in core.items():
        assert path.startswith(ALLOWED), path
        for part in ranges.split(","):
            assert all(tag in TAGS for tag in part.split("-")), (path, ranges)


def test_removed_and_readded_files_name_every_range() -> None:
    # PayPal Express left the tree in 3.0.3.3 and came back in 3.0.3.5 until 3.0.3.8.
    assert core_files()["admin/controller/extension/payment/pp_express.php"] == "3.0.0.0-3.0.3.2,3.0.3.5-3.0.3.8"
    assert core_files()["system/library/cart/cart.php"] == "3.0.0.0-3.0.5.1"
