"""A sound cache or none: over a generated sequence of edits to a project, a build served from the
cache gives byte for byte the zip and the report a build without any cache gives."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

import ocmod_forge
from helpers import write_tree
from ocmod_forge import api
from ocmod_forge.formatters import get_formatter

BASE = {
    "ocmod-forge.yaml": "extension: {name: Soundness, code: sound, version: 1.0.0}\nlint: {fail_on: info}\n",
    "shared/banner.txt": "banner 1\n",
    "sql/install.sql": "CREATE TABLE IF NOT EXISTS `{DB_PREFIX}sound` (id INT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n",
    "templates/install.xml.j2": "<modification><name>[= ext.name =]</name><code>[= ext.code =]</code><version>[= ext.version =]</version></modification>\n",
    "templates/_partials/head.php.j2": "// head [= ext.version =]\n",
    "templates/upload/admin/model/extension/module/sound.php.j2": (
        "<?php\n[% include 'head.php.j2' %]\n// [% include '@project/../shared/banner.txt' %]\n"
        "class ModelExtensionModuleSound extends Model {\n  public function install() {\n"
        "[% for s in sql.install %]\n    $this->db->query([= s|php_sql =]);\n[% endfor %]\n  }\n}\n"
    ),
    "templates/upload/image/catalog/sound/pixel.bin": b"\x89PNG\x00\x01",
}


def _edits(root: Path, rng: random.Random, tool_file: Path):
    """Each edit changes one input of a build (and returns the selection to build with)."""
    counter = iter(range(1000))

    def template() -> None:
        p = root / "templates/upload/admin/model/extension/module/sound.php.j2"
        p.write_text(p.read_text().replace("<?php\n", f"<?php\n// t{next(counter)}\n", 1))

    def partial() -> None:
        (root / "templates/_partials/head.php.j2").write_text(f"// head [= ext.version =] {next(counter)}\n$x = $_GET['x'];\n")

    def outside() -> None:
        (root / "shared/banner.txt").write_text(f"banner {next(counter)}\n")

    def sql() -> None:
        engine = rng.choice(["InnoDB", "MyISAM"])
        (root / "sql/install.sql").write_text(f"CREATE TABLE IF NOT EXISTS `{{DB_PREFIX}}sound{next(counter)}` (id INT) ENGINE={engine} DEFAULT CHARSET=utf8mb4;\n")

    def project() -> None:
        text = (root / "ocmod-forge.yaml").read_text()
        (root / "ocmod-forge.yaml").write_text(text.replace(text.split("version: ")[1].split("}")[0], f"1.0.{next(counter)}"))

    def new_file() -> None:
        folder = root / "templates/upload/system/library/sound"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{next(counter)}.php").write_text("<?php\n// new\n")

    def remove_file() -> None:
        files = sorted((root / "templates/upload/system/library/sound").glob("*.php")) if (root / "templates/upload/system/library/sound").is_dir() else []
        if files:
            files[0].unlink()

    def binary() -> None:
        (root / "templates/upload/image/catalog/sound/pixel.bin").write_bytes(bytes([0x89, rng.randrange(256), 0, next(counter) % 256]))

    def tool() -> None:  # a new version of the tool: its files change
        stat = tool_file.stat()
        os.utime(tool_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))

    return [template, partial, outside, sql, project, new_file, remove_file, binary, tool]


def _build(root: Path, out: Path, select: tuple[str, ...], ignore: tuple[str, ...]) -> tuple[bytes | None, str]:
    result = api.build(root, output=out, select=select, ignore=ignore)
    zip_bytes = result.archive.path.read_bytes() if result.archive is not None else None
    return zip_bytes, get_formatter("json")(result.report)


@pytest.mark.parametrize("seed", [1, 2])
def test_cached_and_uncached_builds_agree_after_every_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    rng = random.Random(seed)
    monkeypatch.chdir(tmp_path)
    root = write_tree(tmp_path / "p", BASE)
    monkeypatch.setenv("OCMOD_FORGE_CACHE", str(tmp_path / "cache"))
    tool_file = Path(ocmod_forge.__file__).parent / "toolinfo.py"
    original = tool_file.stat()
    edits = _edits(root, rng, tool_file)
    selections = [((), ()), (("SQL", "SEC"), ()), ((), ("SEC003",)), (("PHP",), ("PHP004",))]
    try:
        for step in range(14):
            edit = rng.choice(edits)
            edit()
            select, ignore = rng.choice(selections)
            cached = _build(root, tmp_path / f"cached{step}", select, ignore)
            again = _build(root, tmp_path / f"again{step}", select, ignore)  # now surely served from the cache
            monkeypatch.setenv("OCMOD_FORGE_NO_CACHE", "1")
            fresh = _build(root, tmp_path / f"fresh{step}", select, ignore)
            monkeypatch.delenv("OCMOD_FORGE_NO_CACHE")
            assert cached == fresh == again, f"step {step}: after {edit.__name__} with select={select} ignore={ignore}"
    finally:
        os.utime(tool_file, ns=(original.st_atime_ns, original.st_mtime_ns))
    assert any((tmp_path / "cache" / "reports").iterdir()) and any((tmp_path / "cache" / "render").iterdir())  # the cache was used


def test_a_new_php_of_a_promised_version_misses_the_report_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The report key names which PHP would answer each promised version (PHP006) without running
    any: a php7.4 appearing on PATH, or the WebAssembly build turned off, is a miss."""
    from ocmod_forge.reportcache import report_key

    project = api.load_project(write_tree(tmp_path / "p", {"ocmod-forge.yaml": "extension: {name: X, code: x, version: 1.0.0}\nphp: '7.4 - 8.2'\n", "templates/install.xml": "<modification/>\n"}))
    data = api.project_input(project)
    assert data.php_versions == ("7.4", "8.2")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    before = report_key(data, (), ())
    assert report_key(data, (), ()) == before
    fake = bin_dir / "php7.4"
    fake.write_text("#!/bin/sh\necho 7.4.33\n")
    fake.chmod(0o755)
    with_php74 = report_key(data, (), ())
    assert with_php74 != before
    monkeypatch.setenv("OCMOD_FORGE_PHP_WASM", "off")
    assert report_key(data, (), ()) not in (before, with_php74)
