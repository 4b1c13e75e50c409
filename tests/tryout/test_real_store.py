"""The real thing: try in real OpenCart stores, when a release tree and a database server are there.

Set ``OCMOD_FORGE_TRY_OPENCART`` to one or more release trees (folders holding upload/, or
release zips), separated by ``:``; e.g. ``/work/oc/3.0.3.8:/work/oc/4.1.0.4``. A private
MariaDB is started (mariadbd/mysqld from PATH or /usr/sbin), or set ``OCMOD_FORGE_TRY_DB`` to a
DSN (mysql://USER:PASS@HOST:PORT). Each release takes a few seconds per package.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from acme import ACME4, ACME30, DEFECTS_4, DEFECTS_30, make_package

from helpers import REPO
from ocmod_forge.diagnostics import Severity
from ocmod_forge.tryout import TryOptions, run_try
from ocmod_forge.tryout.database import find_program
from ocmod_forge.tryout.release import open_release

RELEASES = [p for p in os.environ.get("OCMOD_FORGE_TRY_OPENCART", "").split(os.pathsep) if p]
DSN = os.environ.get("OCMOD_FORGE_TRY_DB", "")


def _why_not() -> str:
    if not RELEASES:
        return "set OCMOD_FORGE_TRY_OPENCART to OpenCart release trees (e.g. /work/oc/3.0.3.8) to run try in real stores"
    if shutil.which("php") is None:
        return "php is not installed"
    if not DSN and find_program(("mariadbd", "mysqld")) is None:
        return "no MariaDB/MySQL server binary (mariadbd/mysqld) and no OCMOD_FORGE_TRY_DB"
    return ""


pytestmark = pytest.mark.skipif(bool(_why_not()), reason=_why_not() or "ready")

# Where each planted defect must be reported: (code, package path, line).
EXPECTED_30 = {
    ("TRY011", "upload/admin/controller/extension/acme/report.php", 11),
    ("TRY017", "upload/admin/model/extension/module/acme_try.php", 12),
    ("TRY030", "install.xml", 10),
    ("TRY022", "upload/admin/controller/extension/acme.php", 3),
    ("TRY041", "upload/admin/model/extension/module/acme_try.php", 4),
}
EXPECTED_4 = {
    ("TRY011", "admin/controller/tool/report.php", 12),
    ("TRY017", "admin/model/module/acme_try.php", 13),
    ("TRY022", "admin/controller/tool/report.php", 4),
    ("TRY041", "admin/model/module/acme_try.php", 5),
}
EXPECTED_41 = EXPECTED_4 | {("TRY030", "ocmod/acme_try.ocmod.xml", 10)}


def _run(package: Path, release: str) -> set[tuple[str, str, int, Severity]]:
    result = run_try(package, TryOptions(releases=(release,), db_dsn=DSN))
    assert result.runs and result.runs[0].installed
    return {(d.code, d.path, d.line, d.severity) for d in result.report.diagnostics}


def _serious(found: set[tuple[str, str, int, Severity]]) -> set[tuple[str, str, int]]:
    return {(c, p, n) for c, p, n, s in found if s >= Severity.WARNING}


@pytest.mark.parametrize("release", RELEASES)
def test_clean_package_is_clean(release: str, tmp_path: Path) -> None:
    series = open_release(release).series
    base = ACME30 if series == "3.0" else ACME4
    found = _run(make_package(base, tmp_path / "acme_try"), release)
    assert _serious(found) == set()


@pytest.mark.parametrize("release", RELEASES)
def test_every_planted_defect_is_located(release: str, tmp_path: Path) -> None:
    series = open_release(release).series
    if series == "3.0":
        package, expected = make_package(ACME30, tmp_path / "acme_try", list(DEFECTS_30)), EXPECTED_30
    else:
        defects = [d for d in DEFECTS_4 if series == "4.1" or d != "search-not-found"]  # 4.0 has no OCMOD
        package, expected = make_package(ACME4, tmp_path / "acme_try", defects), EXPECTED_41 if series == "4.1" else EXPECTED_4
    assert _serious(_run(package, release)) == expected


@pytest.mark.parametrize("release", RELEASES)
def test_reference_packages_are_clean(release: str) -> None:
    """MesChain (built from this repository) on 3.0; OpenCart's own payment example on 4.x."""
    opened = open_release(release)
    if opened.series == "3.0":
        package = REPO / "ocmod-forge.yaml"
    else:
        root = opened.path / "upload" if (opened.path / "upload").is_dir() else opened.path
        package = root / "system" / "storage" / "marketplace" / "oc_payment_example.ocmod.zip"
        if not package.is_file():
            pytest.skip(f"{release} has no oc_payment_example.ocmod.zip")
    assert _serious(_run(package, release)) == set()
