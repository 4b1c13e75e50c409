"""The reproducible zip: layout, byte-identical rebuilds, atomic replacement, checksum file."""

from __future__ import annotations

import hashlib
import os
import subprocess
import zipfile
from pathlib import Path

import pytest

from ocmod_forge.archive import write_zip
from ocmod_forge.errors import OutputError
from ocmod_forge.tree import PackageFile, PackageTree


def _tree(files: dict[str, bytes]) -> PackageTree:
    return PackageTree(files={k: PackageFile(v) for k, v in files.items()})


TREE = {"upload/b/x.php": b"<?php\n", "install.xml": b"<modification/>", "upload/a.txt": b"a"}


def test_entries_sorted_with_fixed_times_and_modes(tmp_path: Path) -> None:
    result = write_zip(_tree(TREE), tmp_path / "p.ocmod.zip")
    with zipfile.ZipFile(result.path) as zf:
        names = zf.namelist()
        assert names == ["install.xml", "upload/", "upload/a.txt", "upload/b/", "upload/b/x.php"]
        for info in zf.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            mode = info.external_attr >> 16
            assert mode & 0o777 == (0o755 if info.is_dir() else 0o644)
        assert zf.read("upload/b/x.php") == b"<?php\n"


def test_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    with zipfile.ZipFile(write_zip(_tree(TREE), tmp_path / "p.ocmod.zip").path) as zf:
        assert zf.infolist()[0].date_time == (2023, 11, 14, 22, 13, 20)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(OutputError, match="SOURCE_DATE_EPOCH"):
        write_zip(_tree(TREE), tmp_path / "q.ocmod.zip")


def test_byte_identical_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        first = write_zip(_tree(TREE), tmp_path / "a" / "p.ocmod.zip")
    finally:
        os.umask(0o002)
    try:
        second = write_zip(_tree(dict(reversed(list(TREE.items())))), tmp_path / "b" / "p.ocmod.zip")
    finally:
        os.umask(old)
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.sha256 == second.sha256 == hashlib.sha256(first.path.read_bytes()).hexdigest()


def test_sha256_file_is_accepted_by_sha256sum(tmp_path: Path) -> None:
    result = write_zip(_tree(TREE), tmp_path / "p.ocmod.zip")
    assert result.sha256_path.read_text() == f"{result.sha256}  p.ocmod.zip\n"
    assert subprocess.run(["sha256sum", "-c", result.sha256_path.name], cwd=tmp_path, capture_output=True).returncode == 0


def test_failed_write_keeps_previous_zip_and_leaves_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "p.ocmod.zip"
    write_zip(_tree(TREE), target)
    before = target.read_bytes()

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", boom)
    with pytest.raises(OutputError, match="No space left on device"):
        write_zip(_tree({"install.xml": b"new"}), target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.ocmod.zip", "p.ocmod.zip.sha256"]


def test_interrupt_leaves_no_partial_zip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "p.ocmod.zip"

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(zipfile.ZipFile, "writestr", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_zip(_tree(TREE), target)
    assert list(tmp_path.iterdir()) == []


def test_directory_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "p.ocmod.zip").mkdir()
    with pytest.raises(OutputError, match="a folder exists where the zip should be written"):
        write_zip(_tree(TREE), tmp_path / "p.ocmod.zip")


def test_output_folder_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x")
    with pytest.raises(OutputError, match="output path is a file"):
        write_zip(_tree(TREE), tmp_path / "out" / "p.ocmod.zip")
