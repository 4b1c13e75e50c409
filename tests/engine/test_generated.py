"""The differential test: thousands of generated cases, replayed against OpenCart's own answers.

generated/cases.json.gz comes from generate.py (seeded; synthetic files only). For every
OpenCart tag 3.0.2.0–3.0.5.1 and 4.1.0.0–4.1.0.4, tools/opencart-refresh ran that release's
refresh() on every case; identical results were grouped (generated/groups.json) and each group
stored once (generated/expected-<tag>.json.gz). The engine must give the same files, log and
fatal flag for every case and every group, except where it reports the case as not emulated
(status "unsupported"), which must stay rare.

Regenerate: python tests/engine/generate.py --out tests/engine/generated/cases.json.gz, then
python tools/opencart-refresh/expectations.py --trees DIR --cases … --out tests/engine/generated --gzip
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from replay import BASES, json_text

from ocmod_forge.engine import Fatal, apply, flags_for
from ocmod_forge.manifest import Manifest, ManifestError, parse_manifest
from ocmod_forge.opencart import OpenCartTree

HERE = Path(__file__).parent / "generated"
GROUPS: dict[str, str] = json.loads((HERE / "groups.json").read_text(encoding="utf-8"))


@cache
def cases() -> dict[str, Any]:
    return json.loads(gzip.decompress((HERE / "cases.json.gz").read_bytes()))["cases"]  # type: ignore[no-any-return]


@cache
def parsed() -> dict[str, list[Manifest] | None]:
    """Each case's modifications, parsed once for all versions (None: one does not parse)."""
    out: dict[str, list[Manifest] | None] = {}
    for name, case in cases().items():
        try:
            out[name] = [parse_manifest(xml.encode("utf-8"), f"m{i}.xml") for i, xml in enumerate(case["mods"])]
        except ManifestError:
            out[name] = None
    return out


@cache
def trees() -> dict[str, OpenCartTree]:
    """Each case's files as a tree, shared by all versions (a tree only caches what it read)."""
    out = {}
    for name, case in cases().items():
        data = {key: text.encode("utf-8", "surrogateescape") for key, text in case["files"].items()}
        out[name] = OpenCartTree("case", "", sorted(data), data.__getitem__, BASES)
    return out


@cache
def expected(group: str) -> dict[str, Any]:
    return json.loads(gzip.decompress((HERE / f"expected-{group}.json.gz").read_bytes()))  # type: ignore[no-any-return]


def test_the_data_is_complete() -> None:
    assert len(cases()) >= 5000
    assert sorted(GROUPS) == sorted({*GROUPS.values(), *GROUPS})
    assert {v[:3] for v in GROUPS} == {"3.0", "4.1"} and len(GROUPS) == 20
    for group in set(GROUPS.values()):
        assert set(expected(group)) == set(cases())


def test_the_groups_really_differ() -> None:
    """Each group differs from every other on some case (else the flags would be untested)."""
    data = {group: expected(group) for group in sorted(set(GROUPS.values()))}
    for a in data:
        for b in data:
            if a < b:
                assert data[a] != data[b]


@pytest.mark.parametrize("group", sorted(set(GROUPS.values())))
def test_engine_equals_opencart(group: str) -> None:
    answers = expected(group)
    flags = flags_for(group)
    mismatches: list[str] = []
    unsupported = 0
    fatal = 0
    for name in cases():
        manifests = parsed()[name]
        if manifests is None:
            raise AssertionError(f"{name}: generated XML must parse")
        try:
            result = apply(manifests, trees()[name], flags)
        except Fatal as exc:
            if not exc.exact:
                unsupported += 1
                continue
            fatal += 1
            if not answers[name]["fatal"]:
                mismatches.append(f"{name}: engine fatal ({exc}), OpenCart not")
            continue
        if not result.exact:
            unsupported += 1
            continue
        got = {"fatal": False, "files": {k: json_text(v) for k, v in result.files.items()}, "log": result.log_text()}
        if got != answers[name]:
            mismatches.append(name)
    assert not mismatches, f"{len(mismatches)} mismatches with OpenCart {group}: {mismatches[:10]}"
    assert unsupported < len(cases()) * 0.05, f"{unsupported} cases not emulated"
    assert fatal > 10  # the fatal paths are exercised
