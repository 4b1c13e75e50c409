"""Packages against every PHP version they must support, with real PHP of each version.

Each PHP file of a rendered package must compile (``php -l``) under every version of its OpenCart
line, and the PHP unit tests of the MesChain clients (tests/php/run.php) must pass under each.
A version comes from a native ``phpX.Y`` when installed, else from PHP compiled to WebAssembly
(``cd tools/php-wasm && npm ci``; see ocmod_forge.phpversions); without either the test is
skipped and says why. All PHP processes of this module start at once and run side by side.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import pytest

from helpers import REPO
from ocmod_forge import phpversions
from ocmod_forge.errors import PhpVersionError
from ocmod_forge.phpversions import LintError, LintReport, Php
from ocmod_forge.project import load_project
from ocmod_forge.render import render_project

RUN_PHP = REPO / "tests" / "php" / "run.php"


def _meschain() -> dict[str, bytes]:
    project = load_project(REPO / "ocmod-forge.yaml")
    # Every marketplace on, so that every client is linted and tested (GittiGidiyor is off by default).
    project = dataclasses.replace(project, marketplaces=tuple(dataclasses.replace(m, enabled=True) for m in project.marketplaces))
    tree = render_project(project).tree
    return {path: tree[path].data for path in tree}


@dataclass(frozen=True)
class Package:
    """A package tree and the PHP versions it must support; ``library`` is the folder that
    tests/php/run.php tests (None: the package has no PHP unit tests)."""

    name: str
    render: Callable[[], dict[str, bytes]]
    versions: tuple[str, ...]
    library: str | None = "upload/system/library/"


# One line per package: OpenCart 3.0 supports PHP 7.4 to 8.2; 4.0 packages will add
# ("8.0", "8.1", "8.2") and 4.1 packages ("8.1", "8.2", "8.3", "8.4").
PACKAGES = (Package("meschain-oc3.0", _meschain, ("7.4", "8.0", "8.1", "8.2")),)


@cache
def _php(version: str) -> Php | None:
    return phpversions.find_php(version)


def _skip_without(version: str) -> Php:
    php = _php(version)
    if php is None:
        pytest.skip(phpversions.missing_reason(version))
    return php


def _matrix() -> Iterator[tuple[Package, str]]:
    for package in PACKAGES:
        for version in package.versions:
            yield package, version


MATRIX = [pytest.param(package, version, id=f"{package.name}-php{version}") for package, version in _matrix()]
UNIT_MATRIX = [pytest.param(package, version, id=f"{package.name}-php{version}") for package, version in _matrix() if package.library]


# Our own minimal files, each using one construct that PHP added or removed, on line 2: (since,
# until) is the range of versions whose compiler accepts it (None: open-ended).
VERSIONED_SYNTAX = {
    "match.php": ("<?php\n$kind = match (1) { 1 => 'one', default => 'other' };\n", "8.0", None),
    "named_arguments.php": ("<?php\necho str_pad(string: 'a', length: 3);\n", "8.0", None),
    "constructor_promotion.php": ("<?php\nclass Point { public function __construct(private int $x) {} }\n", "8.0", None),
    "readonly_property.php": ("<?php\nclass Money { public readonly int $amount; }\n", "8.1", None),
    "enum.php": ("<?php\nenum Suit { case Hearts; }\n", "8.1", None),
    "typed_property_and_arrow_fn.php": ("<?php\nclass A { public int $n = 1; } $double = fn ($x) => $x * 2;\n", "7.4", None),
    "curly_string_offset.php": ("<?php\n$s = 'abc'; echo $s{0};\n", None, "7.4"),
    "real_cast.php": ("<?php\n$x = (real) '1.5';\n", None, "7.4"),
    "unparenthesized_nested_ternary.php": ("<?php\n$x = true ? 1 : false ? 2 : 3;\n", None, "7.4"),
}
ALL_VERSIONS = phpversions.WASM_VERSIONS
KINDS: tuple[Literal["native", "wasm"], ...] = ("native", "wasm")

# A script that uses a function PHP 8.0 removed: compiles everywhere, fails when run on 8.x.
EACH_SCRIPT = "<?php\n$pairs = array('a' => 1);\n$pair = @each($pairs);\necho $pair['key'], \"\\n\";\n"


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _accepts(version: str, since: str | None, until: str | None) -> bool:
    return (since is None or _key(version) >= _key(since)) and (until is None or _key(version) <= _key(until))


# Our own broken files (one compile or parse error each, on the line given) and good ones that
# only a careless checker would reject.
BROKEN = {
    "parse_error.php": ("<?php\n$a = ;\n", 2),
    "unterminated_string.php": ('<?php\necho "open;\n', 3),
    "method_declared_twice.php": ("<?php\nclass A { function f() {} function f() {} }\n", 2),
    "parameter_declared_twice.php": ("<?php\nfunction f($a, $a) {}\n", 2),
    "break_outside_loop.php": ("<?php\nbreak;\n", 2),
    "abstract_method_with_body.php": ("<?php\nabstract class C { abstract function f() {} }\n", 2),
    "strict_types_not_first.php": ("<?php\n$x = 1;\ndeclare(strict_types=1);\n", 3),
    "namespace_not_first.php": ("<?php\n$x = 1;\nnamespace A;\n", 3),
    "empty_index_read.php": ("<?php\n$a = array();\n$b = $a[];\n", 3),
    "void_returns_value.php": ("<?php\nfunction f(): void { return 1; }\n", 2),
    "this_reassigned.php": ("<?php\nfunction f() { $this = 1; }\n", 2),
    "use_name_twice.php": ("<?php\nuse A\\B;\nuse C\\B;\n", 3),
}
GOOD = {
    # Each file is compiled alone, as `php -l FILE`: the same function in two files is fine.
    "same_function_1.php": "<?php\nfunction helper() { return 1; }\n",
    "same_function_2.php": "<?php\nfunction helper() { return 2; }\n",
    "unknown_parent.php": "<?php\nclass ControllerX extends Controller { public function index() { each($a); } }\n",
    "declare_then_namespace.php": "<?php\ndeclare(strict_types=1);\nnamespace A\\B;\nclass C {}\n",
    "inline_html.php": "<p>before</p>\n<?php if (true): ?>\n<b>x</b>\n<?php endif; ?>\n",
}


_PHP_L_RE = re.compile(r"(Parse error|Fatal error):\s*(.*) in (.*) on line (\d+)")


def _php_l(php: str, path: Path) -> Verdict:
    out = subprocess.run([php, "-d", "display_errors=stderr", "-d", "log_errors=0", "-l", str(path)], capture_output=True, text=True, timeout=60)
    if out.returncode == 0:
        return None
    match = _PHP_L_RE.search(out.stderr + out.stdout)
    assert match is not None, out.stdout + out.stderr
    return int(match.group(4)), match.group(1), match.group(2)


def _agreement_cases(folder: Path, kind: str) -> dict[str, str]:
    files = {name: text for name, (text, _line) in BROKEN.items()} | GOOD
    files["would_run.php"] = f"<?php\ntouch({str(folder / ('ran-' + kind))!r});\necho 'ran';\n"
    return files


Verdict = tuple[int, str, str] | None  # (line, kind, message) as `php -l` prints it, None: no error


def _truth(folder: Path, php: str) -> dict[str, Verdict]:
    """What native `php -l FILE` says of each agreement case, one process per file."""
    cases = folder / "php-l"
    cases.mkdir()
    expected = {}
    for name, text in _agreement_cases(folder, "php-l").items():
        (cases / name).write_text(text, encoding="utf-8")
        expected[name] = _php_l(php, cases / name)
    return expected


class _Runs:
    """Every PHP process of this module, started together on first use: per version one lint of
    all files (every package's and the versioned syntax cases), one run of the unit tests per
    package, and the each() script on 7.4 and 8.0."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pool = ThreadPoolExecutor(max_workers=8)
        self.lints: dict[str, Future[LintReport]] = {}
        self.units: dict[tuple[str, str], Future[subprocess.CompletedProcess[str]]] = {}
        self.each: dict[str, Future[subprocess.CompletedProcess[str]]] = {}
        each = folder / "each.php"
        each.write_text(EACH_SCRIPT, encoding="utf-8")
        to_lint: dict[str, dict[str, str]] = {version: {f"versioned/{name}": text for name, (text, _s, _u) in VERSIONED_SYNTAX.items()} for version in ALL_VERSIONS}
        for package in PACKAGES:
            tree = package.render()
            library = self._write_library(package, tree)
            for version in package.versions:
                files = to_lint.setdefault(version, {})
                files.update({f"{package.name}/{path}": data.decode("utf-8", "surrogateescape") for path, data in tree.items() if path.endswith(".php")})
                php = _php(version)
                if php is not None and library is not None:
                    self.units[package.name, version] = self.pool.submit(php.run, RUN_PHP, str(library))
        for version, files in sorted(to_lint.items()):
            php = _php(version)
            if php is None:
                continue
            self.lints[version] = self.pool.submit(phpversions.lint, php, files)
            if version in ("7.4", "8.0"):
                self.each[version] = self.pool.submit(php.run, each)
        # Native `php -l`, file by file, against the native and the WebAssembly lint of its version.
        native = shutil.which("php")
        self.truth: Future[dict[str, Verdict]] | None = None
        self.agreement: dict[str, tuple[Php, Future[LintReport]]] = {}
        self.native_branch = ""
        if native is not None:
            self.native_branch = subprocess.run([native, "-r", "echo PHP_MAJOR_VERSION, '.', PHP_MINOR_VERSION;"], capture_output=True, text=True, timeout=30).stdout
            self.truth = self.pool.submit(_truth, folder, native)
            for kind in KINDS:
                php = phpversions.find_php(self.native_branch, (kind,))
                if php is not None:
                    self.agreement[kind] = (php, self.pool.submit(phpversions.lint, php, _agreement_cases(folder, kind)))

    def lint(self, version: str, prefix: str) -> tuple[LintReport, dict[str, LintError | None]]:
        """The version's report, and its verdicts on the files under ``prefix/`` (prefix removed)."""
        report = self.lints[version].result()
        mine = {name[len(prefix) + 1 :]: error for name, error in report.errors.items() if name.startswith(prefix + "/")}
        return report, mine

    def _write_library(self, package: Package, tree: dict[str, bytes]) -> Path | None:
        if package.library is None:
            return None
        root = self.folder / package.name / "library"
        for path, data in tree.items():
            if path.startswith(package.library):
                target = root / path[len(package.library) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        return root


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Runs]:
    started = _Runs(tmp_path_factory.mktemp("phpversions"))
    yield started
    started.pool.shutdown(wait=True)


@pytest.mark.parametrize(("package", "version"), MATRIX)
def test_every_php_file_compiles(runs: _Runs, package: Package, version: str) -> None:
    php = _skip_without(version)
    report, errors = runs.lint(version, package.name)
    assert report.version.startswith(version + "."), report.php
    assert errors, f"{package.name} has no PHP file"
    failures = [f"{name}: {error}" for name, error in errors.items() if error is not None]
    assert not failures, f"{php.label}:\n" + "\n".join(failures)


@pytest.mark.parametrize(("package", "version"), UNIT_MATRIX)
def test_php_unit_tests_pass(runs: _Runs, package: Package, version: str) -> None:
    php = _skip_without(version)
    out = runs.units[package.name, version].result()
    assert out.returncode == 0, f"{php.label}\n" + out.stdout[-3000:] + out.stderr[-2000:]
    last = [line for line in out.stdout.splitlines() if line.strip()][-1]
    passed, failed = (int(part.split()[0]) for part in last.split(", "))
    assert failed == 0 and passed >= 50, f"{php.label}: {last}"


@pytest.mark.parametrize("version", ALL_VERSIONS, ids=[f"php{v}" for v in ALL_VERSIONS])
def test_syntax_newer_or_removed_is_caught(runs: _Runs, version: str) -> None:
    """The check can fail: each construct fails exactly on the versions that lack it."""
    php = _skip_without(version)
    report, errors = runs.lint(version, "versioned")
    for name, (_text, since, until) in VERSIONED_SYNTAX.items():
        error = errors[name]
        if _accepts(version, since, until):
            assert error is None, f"{php.label} rejected {name}: {error}"
        else:
            assert error is not None, f"{php.label} accepted {name}"
            assert error.kind in ("Parse error", "Fatal error") and error.line == 2, f"{name}: {error}"
    if version == "7.4":  # removed in 8.0, deprecated before: PHP 7.4 says so while compiling
        assert any("deprecated" in text for _line, text in report.notes.get("versioned/curly_string_offset.php", ())), report.notes


@pytest.mark.parametrize("version", ["7.4", "8.0"], ids=["php7.4", "php8.0"])
def test_function_removed_in_php8_fails_when_run(runs: _Runs, version: str) -> None:
    """each() compiles everywhere (``php -l`` cannot see it) but PHP 8 no longer has it."""
    php = _skip_without(version)
    out = runs.each[version].result()
    said = f"{php.label}: {out.stdout}{out.stderr}"
    if _key(version) < (8, 0):
        assert (out.returncode, out.stdout.strip()) == (0, "a"), said
    else:
        assert out.returncode != 0 and "Call to undefined function each()" in out.stdout + out.stderr, said


@pytest.mark.parametrize("kind", KINDS)
def test_lint_matches_php_l(runs: _Runs, kind: Literal["native", "wasm"]) -> None:
    """Each way of linting reports exactly what native `php -l FILE` prints, and runs nothing."""
    if runs.truth is None:
        pytest.skip("php not installed: nothing to compare with")
    if kind not in runs.agreement:
        pytest.skip(phpversions.missing_reason(runs.native_branch, (kind,)))
    php, future = runs.agreement[kind]
    expected = runs.truth.result()
    assert {name for name, error in expected.items() if error} == set(BROKEN), "the cases are not what they claim"
    assert [(verdict or (0,))[0] for name, verdict in expected.items() if name in BROKEN] == [line for _text, line in BROKEN.values()], expected
    report = future.result()
    got = {name: error and (error.line, error.kind, error.message) for name, error in report.errors.items()}
    assert got == expected, php.label
    assert not (runs.folder / f"ran-{kind}").exists(), f"{php.label} executed a file it should only compile"


def _fake_wasm(root: Path, *versions: str) -> Path:
    """A folder laid out as `npm ci` in tools/php-wasm leaves it, without the real binaries."""
    packages = root / "node_modules" / "@php-wasm"
    (packages / "universal").mkdir(parents=True)
    (packages / "universal" / "package.json").write_text("{}", encoding="utf-8")
    for version in versions:
        (packages / f"node-{version.replace('.', '-')}" / "asyncify" / f"{version.replace('.', '_')}").mkdir(parents=True)
    return root


def test_wasm_lookup_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _fake_wasm(tmp_path / "wasm", "7.4.33")
    monkeypatch.setenv(phpversions.ENV_VAR, str(root))
    assert phpversions.wasm_modules() == (root / "node_modules").resolve()
    monkeypatch.setenv(phpversions.ENV_VAR, str(root / "node_modules"))
    assert phpversions.wasm_modules() == (root / "node_modules").resolve()
    if phpversions.find_wasm("7.4") is not None:  # node 20.10+ is installed
        php = phpversions.find_wasm("7.4")
        assert php is not None and (php.version, php.kind, php.branch, php.label) == ("7.4.33", "wasm", "7.4", "PHP 7.4.33 (WebAssembly)")
        assert php.cli_argv("t.php", "x")[-4:] == ["7.4", "cli", "t.php", "x"]
        assert phpversions.find_wasm("8.0") is None
        assert "@php-wasm/node-8-0 package is missing" in phpversions.missing_reason("8.0")
    monkeypatch.setenv(phpversions.ENV_VAR, "off")
    assert phpversions.wasm_modules() is None and phpversions.find_wasm("7.4") is None
    assert "turned off (OCMOD_FORGE_PHP_WASM=off)" in phpversions.missing_reason("7.4")
    monkeypatch.setenv(phpversions.ENV_VAR, str(tmp_path / "nothing-here"))
    assert phpversions.wasm_modules() is None
    assert "not installed" in phpversions.missing_reason("7.4")


def test_no_php_raises_a_typed_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # neither php nor node
    monkeypatch.setenv(phpversions.ENV_VAR, "off")
    assert phpversions.find_php("7.4") is None
    with pytest.raises(PhpVersionError, match=r"PHP 7\.4 not found: no php7\.4 on PATH; the WebAssembly build is turned off"):
        phpversions.lint("7.4", {"a.php": "<?php\n"})
    with pytest.raises(PhpVersionError, match=r"not of the form X\.Y"):
        phpversions.find_php("seven")


def test_a_php_that_cannot_answer_raises_a_typed_error(tmp_path: Path) -> None:
    missing = Php("7.4.33", "native", (str(tmp_path / "php7.4"),))
    with pytest.raises(PhpVersionError, match="could not start"):
        phpversions.lint(missing, {"a.php": "<?php\n"})
    node = shutil.which("node")
    if node is None:
        return
    empty = Php("7.4.33", "wasm", (node, str(phpversions.WASM_RUNNER), "--modules", str(tmp_path), "--php", "7.4"))
    with pytest.raises(PhpVersionError, match=r"failed to lint \(exit status 3\): .*PHP 7\.4 is not installed"):
        phpversions.lint(empty, {"a.php": "<?php\n"})


def test_the_project_names_the_php_versions_validate_compiles_with(tmp_path: Path) -> None:
    """``php: "7.4 - 8.2"`` in the project file: PHP006 compiles every PHP file with 7.4 and 8.2 and
    names the PHP that answered; a version no PHP is found for is a skipped check."""
    from click.testing import CliRunner

    from helpers import write_tree
    from ocmod_forge.cli import main

    project = write_tree(tmp_path / "p", {
        "ocmod-forge.yaml": "extension: {name: P, code: p, version: '1'}\nphp: '7.4 - 8.2'\n",
        "templates/upload/system/library/p/status.php": "<?php\n$label = match ($status) { 1 => 'on', default => 'off' };\n",
    })
    assert load_project(project / "ocmod-forge.yaml").php_for("3.0") == ("7.4", "8.2")
    result = CliRunner().invoke(main, ["validate", str(project), "--select", "PHP006", "--format", "json"])
    import json

    document = json.loads(result.stdout)
    if _php("7.4") is None:
        assert any("PHP 7.4" in s["reason"] for s in document["skipped"])
        pytest.skip(phpversions.missing_reason("7.4"))
    (finding,) = document["diagnostics"]
    assert finding["path"].endswith("templates/upload/system/library/p/status.php") and finding["line"] == 2
    assert finding["message"].startswith(f"{_php('7.4').label}:")  # type: ignore[union-attr]
    missing = CliRunner().invoke(main, ["validate", str(project), "--select", "PHP006", "--php", "7.3"])
    assert "PHP 7.3 not found" in missing.stdout and "1 skipped check" in missing.stdout
