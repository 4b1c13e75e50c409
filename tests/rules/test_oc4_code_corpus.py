"""The real OpenCart 4 packages of the research corpus against the predictions in its
``expected.json``, for the route/event (R*), template (T*) and OCMOD (O*) rows of
opencart4-facts §4 (O6 is the anchor rules'). Each package is linted for each generation of its
targets with that generation's releases; a prediction counts for the runs its ``applies_to``
overlaps. Needs the corpus: ``OCMOD_FORGE_CORPUS=/work/corpus``; skipped otherwise.

``python tests/rules/test_oc4_code_corpus.py /work/corpus`` prints every match, miss and extra.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ocmod_forge.context import LintInput
from ocmod_forge.diagnostics import Diagnostic, Severity
from ocmod_forge.lint import lint
from ocmod_forge.rules import RULES
from ocmod_forge.versions import Target, generation_of, parse
from ocmod_forge.zipread import read_zip

ROOT = os.environ.get("OCMOD_FORGE_CORPUS", "")

FAMILIES = ("RTE", "TWG1", "OCM")
# §4 id → the codes that report it (a severity picks one where a row has two rules).
CODES: dict[str, tuple[str, ...]] = {
    "R1": ("RTE001",),
    "R2": ("RTE002", "RTE003"),
    "R3": ("RTE004",),
    "R4": ("RTE005",),
    "R5": ("RTE006",),
    "R6": ("RTE007", "RTE008"),
    "T1": ("TWG101", "TWG102"),
    "T2": ("TWG103", "TWG104"),
    "O1": ("OCM001",),
    "O2": ("OCM002", "OCM003"),
    "O3": ("OCM004", "OCM005"),
    "O4": ("OCM006",),
    "O5": ("OCM007",),
    "O7": ("OCM008",),
    "O8": ("OCM009",),
    "O9": ("OCM010",),
}
BY_SEVERITY = {("R2", "E"): "RTE002", ("R2", "W"): "RTE003", ("O2", "E"): "OCM002", ("O2", "W"): "OCM003"}
# Template findings are one per file (at its first line), listing the others.
PER_FILE = {"TWG101"}
# must_not entries are sentences; these narrow them to what they say (checked in this order):
# a reason about Font Awesome long classes forbids only TWG102 on fa-solid/fa-regular, one about
# event actions only RTE002, "informational at most" allows info findings.
NARROW = (("fa-solid", {"TWG102"}), ("event action", {"RTE002"}))
# Predictions OpenCart's code contradicts (the finding stands; the report lists them).
DISAGREE = {
    # ps_gtm's targets include 4.0.0.0 (README "4.x+", and its code chooses the separator and the
    # addEvent form for 4.0.0.0), where Font Awesome 5.15.4 has no .fa-solid: the icons are invisible.
    ("ps_gtm", "T1"): "fa-solid is invisible on 4.0.0.0, which the package supports",
}
# Where the prediction points at another line than the defect, OpenCart's code wins.
CORRECTED = {
    # The hasPermission() call is on line 61; line 60 is `protected function validate() {`.
    ("example_plugin", "R6", "admin/controller/module/example_plugin.php:60"): "admin/controller/module/example_plugin.php:61",
}


@dataclass
class Comparison:
    matched: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    not_applicable: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    must_not: list[str] = field(default_factory=list)
    disagreed: list[str] = field(default_factory=list)
    runs: int = 0


def _runs(targets: list[str]) -> list[Target]:
    by_generation: dict[str, list[str]] = {}
    for release in targets:
        by_generation.setdefault(generation_of(release), []).append(release)
    return [Target(g, min(rs, key=parse), max(rs, key=parse)) for g, rs in by_generation.items()]


def _codes(item: dict[str, str]) -> tuple[str, ...]:
    key = (item["id"], item.get("severity", ""))
    if key in BY_SEVERITY:
        return (BY_SEVERITY[key],)
    if item["id"] == "R6":
        return ("RTE008",) if ":" in item["where"] else ("RTE007",)
    return CODES[item["id"]]


def _hit(where: str, d: Diagnostic) -> bool:
    path, _, line = where.rpartition(":") if where.rpartition(":")[2].isdigit() else (where, "", "")
    if path.endswith("/"):
        return d.path.startswith(path)
    return d.path == path and (not line or d.code in PER_FILE or d.line == int(line))


_PATH_RE = re.compile(r"[\w./-]+\.(?:php|twig|js|xml)")


def _violates(banned: dict[str, str], d: Diagnostic, targets: list[str], predicted: set[str]) -> bool:
    """Does finding ``d`` go against the must_not entry ``banned``?"""
    if banned["id"] not in CODES or d.code not in CODES[banned["id"]] or d.severity == Severity.INFO:
        return False
    reason = banned["reason"]
    if "4.0.0.0 is not a target" in reason and "4.0.0.0" in targets:
        return False  # the entry's own condition does not hold
    for words, codes in NARROW:
        if words in reason:
            return d.code in codes and (words != "fa-solid" or "'fa-solid'" in d.message or "'fa-regular'" in d.message)
    named = _PATH_RE.search(reason)
    if named:
        return d.path == named.group(0).split(":")[0]
    return banned["id"] not in predicted


def compare(root: Path) -> Comparison:
    expected = json.loads((root / "oc4" / "expected.json").read_text(encoding="utf-8"))["packages"]
    result = Comparison()
    for package in expected:
        zip_path = root / "oc4" / package["zip"]
        tree = read_zip(zip_path)
        found: dict[str, list[Diagnostic]] = {}
        for target in _runs(package["targets"]):
            data = LintInput(tree=tree, target=target.generation, package_name=zip_path.name, target_range=target)
            found[f"{target.first}-{target.last}"] = list(lint(data, select=FAMILIES).diagnostics)
            result.runs += 1
        ours = [e for e in package["expected"] if e["id"] in CODES]
        used: set[tuple[str, str, int]] = set()
        for item in ours:
            where = CORRECTED.get((package["id"], item["id"], item["where"]), item["where"])
            label = f"{package['id']}: {item['id']} {item['where']}"
            applies = item.get("applies_to")
            runs = [run for run in found if not applies or any(parse(run.split("-")[0]) <= parse(r) <= parse(run.split("-")[1]) for r in applies)]
            if not runs:
                result.not_applicable.append(label)
                continue
            hits = [d for run in runs for d in found[run] if d.code in _codes(item) and _hit(where, d)]
            (result.matched if hits else result.missed).append(label)
            used.update((d.code, d.path, d.line) for d in hits)
        predicted_ids = {e["id"] for e in package["expected"]}
        seen: set[tuple[str, str, int]] = set()
        for run, diagnostics in sorted(found.items()):
            for d in diagnostics:
                key = (d.code, d.path, d.line)
                if key in used or key in seen:
                    continue
                seen.add(key)
                # Also predicted where another line of the same file is named (a per-file finding,
                # or one of several sites the prediction counts).
                if any(d.code in _codes(e) and d.path == e["where"].split(":")[0] for e in ours):
                    continue
                result.extra.append(f"{package['id']} [{run}]: {d.code} {d.severity.label} {d.path}:{d.line} {d.message[:120]}")
                for banned in package.get("must_not", []):
                    if _violates(banned, d, package["targets"], predicted_ids):
                        row = f"{package['id']}: {banned['id']} ({banned['reason'][:80]}) vs {d.code} {d.path}:{d.line}"
                        (result.disagreed if (package["id"], banned["id"]) in DISAGREE else result.must_not).append(row)
    return result


@pytest.mark.skipif(not ROOT, reason="OCMOD_FORGE_CORPUS (the research corpus with oc4/expected.json) is not set")
def test_corpus_predictions_are_reported() -> None:
    result = compare(Path(ROOT))
    print(f"\nR/T/O predictions: {len(result.matched)} matched, {len(result.missed)} missed, {len(result.not_applicable)} outside the targets; "
          f"{len(result.extra)} extra findings; {len(result.must_not)} against must_not ({len(result.disagreed)} where OpenCart contradicts it); {result.runs} runs")
    assert result.matched, "nothing matched: the comparison itself is broken"
    assert not result.missed, result.missed
    assert not result.must_not, result.must_not


def test_every_mapped_code_exists() -> None:
    """The comparison maps §4 ids to real rules (runs without the corpus)."""
    codes = {c for cs in CODES.values() for c in cs} | set(BY_SEVERITY.values())
    assert codes <= set(RULES), sorted(codes - set(RULES))
    assert {c for c in RULES if c.startswith(("RTE", "TWG1", "OCM"))} == codes


if __name__ == "__main__":
    summary = compare(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT))
    sections = (
        ("matched", summary.matched), ("missed", summary.missed), ("outside the targets", summary.not_applicable),
        ("extra", summary.extra), ("must_not", summary.must_not), ("contradicted", summary.disagreed),
    )
    for title, rows in sections:
        print(f"== {title}: {len(rows)}")
        for row in rows:
            print("  " + row)
