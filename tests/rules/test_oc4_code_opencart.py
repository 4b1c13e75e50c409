"""OpenCart's own example packages (``system/storage/marketplace/oc_*_example.ocmod.zip`` of every
4.x release tree) get no RTE/TWG1/OCM finding at warning level or above for their own release,
except what the fact check proves OpenCart itself got wrong. Needs the release trees:
``OCMOD_FORGE_TEST_OPENCART=/work/oc`` (folders ``<tag>/upload/``); skipped otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ocmod_forge.context import LintInput
from ocmod_forge.diagnostics import Severity
from ocmod_forge.lint import lint
from ocmod_forge.versions import RELEASES, Target, generation_of, parse
from ocmod_forge.zipread import read_zip

ROOT = os.environ.get("OCMOD_FORGE_TEST_OPENCART", "")
pytestmark = pytest.mark.skipif(not ROOT, reason="OCMOD_FORGE_TEST_OPENCART (a folder of OpenCart release trees <tag>/upload/) is not set")

# What OpenCart's examples get wrong, with the evidence (/work/corpus/oc4-factcheck.md; opencart4-facts §2).
# (zip, release range, code, path, line)
KNOWN = [
    # 4.1.0.0 shipped test.ocmod.xml at the zip root; xml() reads only ocmod/ (fact check §2.2; fixed in 4.1.0.1).
    ("oc_ocmod_example.ocmod.zip", ("4.1.0.0", "4.1.0.0"), "OCM002", "test.ocmod.xml", 0),
    # Code 'test' = file name: a second package with a test.ocmod.xml is skipped silently (I:563-565, issue #14448).
    ("oc_ocmod_example.ocmod.zip", ("4.1.0.1", "4.1.0.4"), "OCM003", "ocmod/test.ocmod.xml", 0),
    # §2.5 (confirmed by the fact check): the example's own targets that 4.1 applies partly or never.
    ("oc_ocmod_example.ocmod.zip", ("4.1.0.1", "4.1.0.3"), "OCM009", "ocmod/test.ocmod.xml", 10),  # core admin controller: main route only
    ("oc_ocmod_example.ocmod.zip", ("4.1.0.1", "4.1.0.4"), "OCM009", "ocmod/test.ocmod.xml", 55),  # core model: never before 4.1.0.4; #15671 on 4.1.0.4
    ("oc_ocmod_example.ocmod.zip", ("4.1.0.1", "4.1.0.4"), "OCM009", "ocmod/test.ocmod.xml", 102),  # Template is created with new
    ("oc_ocmod_example.ocmod.zip", ("4.1.0.1", "4.1.0.4"), "OCM009", "ocmod/test.ocmod.xml", 114),  # extension controller, doubled Extension\ on 4.1.0.4
]


def _examples() -> list[tuple[str, Path]]:
    out = []
    for tag in RELEASES["4.0"] + RELEASES["4.1"]:
        folder = Path(ROOT) / tag / "upload" / "system" / "storage" / "marketplace"
        out += [(tag, z) for z in sorted(folder.glob("oc_*_example.ocmod.zip"))]
    return out


EXAMPLES = _examples() if ROOT else []


def _known(name: str, release: str) -> set[tuple[str, str, int]]:
    return {(code, path, line) for zip_name, (first, last), code, path, line in KNOWN if zip_name == name and parse(first) <= parse(release) <= parse(last)}


def test_release_trees_hold_the_examples() -> None:
    names = {z.name for _tag, z in EXAMPLES}
    assert {"oc_payment_example.ocmod.zip", "oc_theme_example.ocmod.zip", "oc_language_example.ocmod.zip", "oc_ocmod_example.ocmod.zip"} <= names, names


@pytest.mark.parametrize("release, zip_path", EXAMPLES, ids=[f"{t}-{z.name.split('.')[0]}" for t, z in EXAMPLES])
def test_example_is_clean_for_its_own_release(release: str, zip_path: Path) -> None:
    generation = generation_of(release)
    data = LintInput(tree=read_zip(zip_path), target=generation, package_name=zip_path.name, target_range=Target(generation, release, release))
    found = {(d.code, d.path, d.line) for d in lint(data, select=("RTE", "TWG1", "OCM")).diagnostics if d.severity >= Severity.WARNING}
    known = _known(zip_path.name, release)
    assert found - known == set(), f"new findings on OpenCart's own example: {sorted(found - known)}"
    assert known - found == set(), f"the fact-checked defects are no longer reported: {sorted(known - found)}"
