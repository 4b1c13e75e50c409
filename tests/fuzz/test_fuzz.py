"""Property tests: no exception escapes the zip reader, the manifest parser, the project loader
or validate, and results are deterministic. Bounded for the suite; benchmarks/reliability.py
runs the same properties at scale."""

from __future__ import annotations

import warnings
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import manifests, project_texts, zips

from ocmod_forge.api import load_project
from ocmod_forge.context import LintInput
from ocmod_forge.errors import ForgeError
from ocmod_forge.lint import lint
from ocmod_forge.manifest import ManifestError, parse_manifest
from ocmod_forge.zipread import read_zip

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def validate_bytes(data: bytes) -> tuple[tuple[str, str, int, int], ...]:
    """What `validate x.ocmod.zip` reports for these bytes, as comparable tuples."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = read_zip(data, name="fuzz.ocmod.zip")
    report = lint(LintInput(tree=tree, package_name="fuzz.ocmod.zip"))
    return tuple((d.code, d.path, d.line, d.col) for d in report.diagnostics)


@FAST
@given(st.binary(max_size=2048))
def test_random_bytes_as_zip(data: bytes) -> None:
    assert validate_bytes(data) == validate_bytes(data)


@FAST
@given(zips())
def test_random_zips(data: bytes) -> None:
    assert validate_bytes(data) == validate_bytes(data)


@FAST
@given(manifests() | st.binary(max_size=512))
def test_random_manifests(data: bytes) -> None:
    try:
        first = parse_manifest(data)
    except ManifestError as exc:
        assert exc.line is None or exc.line >= 1
        return
    assert parse_manifest(data) == first


@FAST
@given(project_texts)
def test_random_project_files(tmp_path_factory: object, text: str) -> None:
    folder = Path(tmp_path_factory.mktemp("p"))
    path = folder / "ocmod-forge.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_project(path)
    except ForgeError as exc:
        assert str(exc).startswith(str(path))


@FAST
@given(manifests())
def test_random_manifests_through_the_engine(data: bytes) -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from reliability import engine_apply

    assert engine_apply(data) == engine_apply(data)
