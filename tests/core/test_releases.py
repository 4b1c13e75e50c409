"""The release cache and anchors checked by default: `ocmod-forge opencart add`, releases named
in the project file, and a plain statement when no release was available."""

from __future__ import annotations

import http.server
import io
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import MINI_PROJECT, write_tree
from ocmod_forge import releases, validate
from ocmod_forge.cli import main
from ocmod_forge.errors import OpenCartTreeError

HEADER = '<header id="header">\n  <div class="container">\n</header>\n'


def release_files(version: str) -> dict[str, str]:
    """A tiny OpenCart tree: enough for the engine (index.php with VERSION, one template)."""
    return {
        "admin/index.php": f"<?php\ndefine('VERSION', '{version}');\n",
        "admin/view/template/common/header.twig": HEADER,
        "catalog/index.php": "<?php\n",
        "system/startup.php": "<?php\n",
    }


def release_zip(version: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for rel, text in release_files(version).items():
            zf.writestr(f"opencart-{version}/upload/{rel}", text)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def release_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "releases"
    monkeypatch.setenv("OCMOD_FORGE_RELEASES", str(folder))
    return folder


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A local HTTP server in place of GitHub: /<version>.zip answers a release zip, else 404."""
    served = tmp_path / "served"
    served.mkdir()
    (served / "3.0.3.8.zip").write_bytes(release_zip("3.0.3.8"))
    (served / "3.0.3.7.zip").write_bytes(release_zip("3.0.3.8"))  # a mirror serving the wrong release

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(served), **kwargs)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("OCMOD_FORGE_RELEASE_URL", f"http://127.0.0.1:{httpd.server_address[1]}/{{version}}.zip")
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_add_from_a_folder_or_a_zip_list_and_remove(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "oc" / "upload", release_files("3.0.3.8"))
    assert CliRunner().invoke(main, ["opencart", "add", "3.0.3.8", "--from", str(folder.parent)]).exit_code == 0
    archive = tmp_path / "opencart-4.1.0.4.zip"
    archive.write_bytes(release_zip("4.1.0.4"))
    assert CliRunner().invoke(main, ["opencart", "add", "4.1.0.4", "--from", str(archive)]).exit_code == 0
    listed = CliRunner().invoke(main, ["opencart", "list"]).stdout
    assert listed.splitlines()[0].startswith("3.0.3.8") and listed.splitlines()[1].startswith("4.1.0.4")
    assert (releases.resolve("4.1.0.4") / "admin" / "view" / "template" / "common" / "header.twig").read_text() == HEADER
    assert CliRunner().invoke(main, ["opencart", "remove", "4.1.0.4"]).exit_code == 0
    assert releases.find("4.1.0.4") is None


def test_a_release_must_be_what_it_claims(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "oc", release_files("3.0.3.8"))
    result = CliRunner().invoke(main, ["opencart", "add", "3.0.3.7", "--from", str(folder)])
    assert result.exit_code == 2 and "this is OpenCart 3.0.3.8, not 3.0.3.7" in result.stderr
    assert releases.find("3.0.3.7") is None and not any((tmp_path / "releases").glob("*/upload"))  # nothing half-added
    result = CliRunner().invoke(main, ["opencart", "add", "9.9.9.9"])
    assert result.exit_code == 2 and "not a release ocmod-forge knows" in result.stderr


def test_download_from_a_local_server(server: str) -> None:
    assert CliRunner().invoke(main, ["opencart", "add", "3.0.3.8"]).exit_code == 0
    assert releases.find("3.0.3.8") is not None
    wrong = CliRunner().invoke(main, ["opencart", "add", "3.0.3.7"])
    assert wrong.exit_code == 2 and "not 3.0.3.7" in wrong.stderr
    missing = CliRunner().invoke(main, ["opencart", "add", "3.0.2.0"])
    assert missing.exit_code == 2 and "HTTP 404" in missing.stderr and missing.stderr.count("\n") == 1


def test_unknown_release_names_the_command_that_adds_it() -> None:
    with pytest.raises(OpenCartTreeError, match=r"ocmod-forge opencart add 3.0.3.8"):
        releases.resolve("3.0.3.8")


ANCHORED = {
    **MINI_PROJECT,
    "templates/install.xml.j2": (
        "<modification>\n  <name>[= ext.name =]</name>\n  <code>[= ext.code =]</code>\n"
        '  <file path="admin/view/template/common/header.twig">\n    <operation>\n'
        '      <search><![CDATA[<div class="nope">]]></search>\n      <add position="after"><![CDATA[x]]></add>\n'
        "    </operation>\n  </file>\n</modification>\n"
    ),
}


def test_project_releases_are_checked_with_no_flag(tmp_path: Path) -> None:
    write_tree(tmp_path / "oc", release_files("3.0.3.8"))
    releases.add("3.0.3.8", tmp_path / "oc")
    project = write_tree(tmp_path / "p", {**ANCHORED, "ocmod-forge.yaml": ANCHORED["ocmod-forge.yaml"] + "opencart:\n  targets: ['3.0']\n  releases: [3.0.3.8, 3.0.5.1]\n"})
    result = CliRunner().invoke(main, ["build", str(project), "--format", "text"])
    assert result.exit_code == 1  # the search is not found in 3.0.3.8: no zip
    assert "ANC001 search not found in admin/view/template/common/header.twig (OpenCart 3.0.3.8" in result.stdout
    assert "skipped: ANC anchors-not-checked: OpenCart 3.0.5.1: not in the release cache (ocmod-forge opencart add 3.0.5.1)" in result.stdout


def test_no_release_says_anchors_were_not_checked(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "p", ANCHORED)
    report = validate(project)
    assert [s.reason for s in report.skipped if s.code == "ANC"] == ["no OpenCart release named in opencart.releases or given with --opencart; no OCMOD search was checked"]
    assert "anchors not checked" in report.summary()
    result = CliRunner().invoke(main, ["build", str(project)])
    assert result.exit_code == 0 and "(anchors not checked)" in result.stdout
