"""A hostile corpus built on the fly: every case gets a rule code (or a one-line exit 2), fast."""

from __future__ import annotations

import functools
import io
import os
import signal
import struct
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from ocmod_forge.archive import write_zip
from ocmod_forge.cli import main
from ocmod_forge.context import LintInput
from ocmod_forge.errors import OutputError
from ocmod_forge.lint import lint
from ocmod_forge.tree import PackageFile, PackageTree
from ocmod_forge.zipread import ZipLimits, read_zip

pytestmark = pytest.mark.filterwarnings("ignore:Duplicate name")

GOOD = {"install.xml": b"<modification><name>x</name><code>x</code></modification>", "upload/admin/language/en-gb/x.php": b"<?php\n"}


def _zip(entries: list[tuple[zipfile.ZipInfo | str, bytes]], **kw: object) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, **kw) as zf:  # type: ignore[arg-type]
        for info, data in entries:
            zf.writestr(info, data)
    return buf.getvalue()


def _symlink() -> bytes:
    info = zipfile.ZipInfo("upload/system/library/evil.php")
    info.create_system = 3
    info.external_attr = (0o120777 << 16)
    return _zip([*GOOD.items(), (info, b"/etc/passwd")])


def _cp437_name() -> bytes:
    data = bytearray(_zip([*GOOD.items(), ("upload/image/catalog/xy.png", b"png")]))
    # Rewrite the name bytes to non-ASCII while leaving the UTF-8 flag unset (legacy zipper).
    return bytes(data.replace(b"xy.png", b"\x81y.png"))


def _encrypted() -> bytes:
    data = bytearray(_zip([*GOOD.items(), ("upload/secret.php", b"<?php")]))
    # Set the "encrypted" general-purpose bit in the local and central headers of the last entry.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = data.rfind(signature)
        flags = struct.unpack_from("<H", data, pos + offset)[0]
        struct.pack_into("<H", data, pos + offset, flags | 1)
    return bytes(data)


def _corrupt_entry() -> bytes:
    data = bytearray(_zip([*GOOD.items(), ("upload/admin/x.php", b"<?php echo 'hello world';" * 50)]))
    pos = data.find(b"PK\x03\x04", data.find(b"upload/admin/x.php") - 40)
    start = pos + 30 + len("upload/admin/x.php")
    data[start + 5 : start + 20] = b"\xff" * 15  # damage the deflate stream
    return bytes(data)


@functools.lru_cache(maxsize=1)
def _bomb() -> bytes:
    """A 1 GiB bomb, built once per test session (building it is the slow part, not refusing it)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("install.xml", GOOD["install.xml"])
        with zf.open("upload/bomb.txt", "w", force_zip64=True) as handle:
            block = b"\0" * (1 << 20)
            for _ in range(1024):  # 1 GiB uncompressed, ~1 MB compressed
                handle.write(block)
    return buf.getvalue()


def _ratio() -> bytes:
    return _zip([*GOOD.items(), ("upload/zeros.txt", b"\0" * (4 << 20))])


def _nested() -> bytes:
    return _zip([*GOOD.items(), ("upload/image/catalog/inner.zip", _zip(list(GOOD.items())))])


CASES: list[tuple[str, Callable[[], bytes], str]] = [
    ("traversal", lambda: _zip([*GOOD.items(), ("upload/../../config.php", b"x")]), "PKG108"),
    ("absolute", lambda: _zip([*GOOD.items(), ("/etc/cron.d/x", b"x")]), "PKG107"),
    ("drive-letter", lambda: _zip([*GOOD.items(), ("C:/x.php", b"x")]), "PKG107"),
    ("backslash", lambda: _zip([*GOOD.items(), ("upload\\admin\\x.php", b"x")]), "PKG106"),
    ("symlink", _symlink, "PKG105"),
    ("duplicate", lambda: _zip([*GOOD.items(), ("install.xml", b"<modification/>")]), "PKG109"),
    ("non-utf8-name", _cp437_name, "PKG104"),
    ("encrypted", _encrypted, "PKG103"),
    ("corrupt-entry", _corrupt_entry, "PKG112"),
    ("bomb-1GiB", _bomb, "PKG110"),
    ("ratio", _ratio, "PKG111"),
    ("nested-zip", _nested, "PKG113"),
    ("truncated", lambda: _zip(list(GOOD.items()))[:-30], "PKG101"),
    ("not-a-zip", lambda: b"<html>502 Bad Gateway</html>", "PKG101"),
    ("empty-file", lambda: b"", "PKG101"),
]


@pytest.mark.parametrize("name, make, code", CASES, ids=[c[0] for c in CASES])
def test_hostile_zip_gets_a_rule_code(tmp_path: Path, name: str, make: Callable[[], bytes], code: str) -> None:
    path = tmp_path / "x.ocmod.zip"
    path.write_bytes(make())
    tracemalloc.start()
    started = time.perf_counter()
    try:
        tree = read_zip(path)
        report = lint(LintInput(tree=tree, package_name=path.name))
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert time.perf_counter() - started < 5
    assert peak < 200 * 1024 * 1024
    assert code in {d.code for d in report.diagnostics}, [str(d) for d in report.diagnostics]


def test_one_gib_bomb_is_refused_quickly_without_reading_it(tmp_path: Path) -> None:
    data = _bomb()
    tracemalloc.start()
    started = time.perf_counter()
    tree = read_zip(data)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "upload/bomb.txt" not in tree
    assert elapsed < 1.0 and peak < 16 * 1024 * 1024


def test_lying_sizes_are_capped_by_bytes_read() -> None:
    data = _zip([("upload/a.txt", b"a" * 3_000_000)])
    tree = read_zip(data, ZipLimits(max_entry_size=1_000_000))
    assert "upload/a.txt" not in tree and tree.notes[0][0] == "too-big"


def test_entry_count_cap() -> None:
    tree = read_zip(_zip([(f"upload/f{i}.txt", b"x") for i in range(30)]), ZipLimits(max_entries=10))
    assert len(tree) == 10 and tree.notes[0][0] == "too-many"


@pytest.mark.parametrize("name, make, code", CASES, ids=[c[0] for c in CASES])
def test_validate_cli_never_tracebacks(tmp_path: Path, name: str, make: Callable[[], bytes], code: str) -> None:
    path = tmp_path / "x.ocmod.zip"
    path.write_bytes(make())
    result = CliRunner().invoke(main, ["validate", str(path)])
    expected = 0 if code == "PKG113" else 2 if code == "PKG101" else 1  # PKG113 is a warning; unreadable zips are input errors
    assert result.exit_code == expected, result.output
    assert "Traceback" not in result.output
    assert code in result.output


def test_missing_zip_is_one_line_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nope.ocmod.zip")])
    assert result.exit_code == 2 and result.output.count("\n") == 1


def _tree() -> PackageTree:
    return PackageTree(files={k: PackageFile(v) for k, v in GOOD.items()})


def test_sigterm_while_writing_leaves_previous_zip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "p.ocmod.zip"
    write_zip(_tree(), target)
    before = target.read_bytes()
    real = zipfile.ZipFile.writestr

    def terminate(self: zipfile.ZipFile, *args: object, **kwargs: object) -> None:
        real(self, *args, **kwargs)  # type: ignore[arg-type]
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", terminate)
    with pytest.raises(KeyboardInterrupt):
        write_zip(PackageTree(files={"install.xml": PackageFile(b"new")}), target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.ocmod.zip", "p.ocmod.zip.sha256"]
    assert signal.getsignal(signal.SIGTERM) is not None  # handler restored


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_unwritable_output_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="cannot write zip"):
            write_zip(_tree(), folder / "p.ocmod.zip")
    finally:
        folder.chmod(0o700)


def test_internal_error_is_one_line_with_trace_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    import ocmod_forge.api as api

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(api, "open_source", boom)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the crash log goes to the test's own folder
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.startswith("ocmod-forge: internal error: RuntimeError: simulated bug (full trace in ")
    trace = result.output.split("full trace in ")[1].split(";")[0]
    assert "Traceback" in Path(trace).read_text() and "Traceback" not in result.output
    debug = CliRunner().invoke(main, ["--debug", "validate", str(tmp_path)])
    assert debug.exit_code == 2 and "Traceback" in debug.output and "simulated bug" in debug.output


def test_huge_and_deep_project_files_are_exit_2(tmp_path: Path) -> None:
    project = tmp_path / "ocmod-forge.yaml"
    project.write_text("extension: {name: A, code: a, version: '1'}\nvars:\n  x: '" + "a" * 1_100_000 + "'\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path)])
    assert result.exit_code == 2 and "the limit is 1,000,000" in result.output
    project.write_text("extension: {name: A, code: a, version: '1'}\nvars:\n  x: " + "[" * 60 + "]" * 60 + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path)])
    assert result.exit_code == 2 and "nested too deeply" in result.output and "Traceback" not in result.output
