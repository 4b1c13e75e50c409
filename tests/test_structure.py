"""The shape of the code: type checks, lint, import contracts, no import cycles, and a library
that works without the command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from helpers import REPO


def _tool(name: str) -> str:
    path = shutil.which(name) or str(Path(sys.executable).parent / name)
    if not os.path.exists(path):
        pytest.fail(f"{name} is not installed: it is part of the test extra (pip install -e '.[test]')")
    return path


@pytest.mark.parametrize(
    "command",
    [["mypy"], ["ruff", "check", "src", "tests", "benchmarks"], ["lint-imports"]],
    ids=["mypy-strict", "ruff", "import-contracts"],
)
def test_checkers_pass(command: list[str]) -> None:
    """mypy --strict (configured in pyproject.toml), ruff and the import-linter contracts."""
    result = subprocess.run([_tool(command[0]), *command[1:]], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_no_import_cycles() -> None:
    """No two modules of the package import each other, directly or through others."""
    import grimp

    graph = grimp.build_graph("ocmod_forge")
    cycles = set()
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            if chain is not None:
                cycles.add(" -> ".join((module, *chain)))
    assert not cycles, "\n".join(sorted(cycles))


def test_library_validates_and_builds_without_the_command_line(tmp_path: Path) -> None:
    """The API works with click unavailable: the CLI holds no library logic."""
    package = tmp_path / "x.ocmod.zip"
    with zipfile.ZipFile(package, "w") as zf:
        zf.writestr("install.xml", "<modification><name>X</name><code>vendor_x</code></modification>")
        zf.writestr("upload/system/library/x.php", "<?php\n$ch = curl_init();\ncurl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);\n")
    script = textwrap.dedent(f"""
        import sys
        sys.modules["click"] = None  # importing click now fails
        import ocmod_forge
        report = ocmod_forge.validate({str(package)!r}, select=["SEC001"])
        assert [(d.code, d.line) for d in report.diagnostics] == [("SEC001", 3)], report
        result = ocmod_forge.build({str(REPO / "examples" / "footer-note")!r}, output={str(tmp_path / "out")!r})
        assert result.archive is not None and result.archive.path.is_file()
        try:
            ocmod_forge.validate({str(tmp_path / "missing")!r})
        except ocmod_forge.ForgeError as exc:
            print("error:", exc)
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip().endswith("ok"), out.stdout + out.stderr
    assert "error:" in out.stdout and "no such file or folder" in out.stdout


def test_validating_does_not_load_the_store_runner_or_a_network_client() -> None:
    """The rule registry lists the TRY codes but must not import `try`'s store runner, its HTTP
    client or urllib.request (tens of milliseconds on every build and validate)."""
    script = textwrap.dedent("""
        import sys
        from importlib import import_module
        lint, rules = import_module("ocmod_forge.lint"), import_module("ocmod_forge.rules")
        assert rules.get("TRY001").code == "TRY001" and "ANC001" in rules.documented()
        assert not lint.selects_nothing("SEC")
        print(sorted(m for m in sys.modules if m in ("ocmod_forge.tryout.runner", "ocmod_forge.tryout.http", "urllib.request", "http.client")))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stdout + out.stderr


def test_every_command_is_found_by_name_and_loads_alone() -> None:
    """Commands load when they run (cli/_app.COMMAND_MODULES): the table names every command its
    modules define, and running one imports no other command's module."""
    script = textwrap.dedent("""
        import importlib, pkgutil, sys
        import ocmod_forge.cli as cli
        from ocmod_forge.cli._app import COMMAND_MODULES, main
        main.main(["cache"], standalone_mode=False)
        loaded = sorted(m.rsplit(".", 1)[1] for m in sys.modules if m.startswith("ocmod_forge.cli.") and not m.endswith("._app"))
        for info in pkgutil.iter_modules(cli.__path__):
            if not info.name.startswith("_"):
                importlib.import_module(f"ocmod_forge.cli.{info.name}")
        defined = {name: cmd.callback.__module__.rsplit(".", 1)[1] for name, cmd in main.commands.items()}
        print(loaded, defined == COMMAND_MODULES)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip().splitlines()[-1] == "['cache_cmd'] True", out.stdout + out.stderr
