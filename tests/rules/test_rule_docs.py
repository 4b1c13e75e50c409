"""Every rule's documentation is executable: its ``Fail::`` examples must trigger it (with a hint
that says what to do, unless the rule declares ``hints=False``), its ``Pass::`` examples must not,
and each rule stays silent outside its declared scope (OpenCart generations, OpenCart trees, other
modifications). See tests/rules/examples.py for the format."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from examples import Example, lint_input, parse_examples

from ocmod_forge.context import Context
from ocmod_forge.lint import lint
from ocmod_forge.rules import RULES
from ocmod_forge.rules.base import Finding, Rule, Skip
from ocmod_forge.versions import GENERATIONS

CASES = [(code, ex) for code, rule in RULES.items() for ex in parse_examples(rule.doc)]
FAILS = [(code, ex) for code, ex in CASES if ex.kind == "Fail"]


def test_every_rule_has_executable_fail_and_pass_examples() -> None:
    missing = sorted(code for code in RULES if {ex.kind for c, ex in CASES if c == code} != {"Fail", "Pass"})
    assert not missing, f"rules without Fail:: and Pass:: example blocks: {', '.join(missing)}"


def _skip_without_tools(report_skipped: list[str]) -> None:
    if report_skipped:
        pytest.skip("; ".join(report_skipped))


@pytest.mark.parametrize("code, ex", CASES, ids=[f"{c}-{e.label}" for c, e in CASES])
def test_documented_example(code: str, ex: Example, tmp_path: Path) -> None:
    report = lint(lint_input(ex, tmp_path), select=[code])
    found = [d for d in report.diagnostics if d.code == code]
    if ex.kind == "Pass":
        assert not found, [str(d) for d in found]
        return
    if not found:
        _skip_without_tools([s.reason for s in report.skipped if s.code == code])
    assert found, f"{code} {ex.label} did not fire; skipped: {report.skipped}"
    for path, line in ex.expect:
        assert (path, line) in {(d.path, d.line) for d in found}, [f"{d.path}:{d.line}" for d in found]
    for d in found:
        assert_hint(RULES[code], d.message, d.hint)


def _words(text: str) -> set[str]:
    return {w.strip(".,:;()'\"`").lower() for w in text.split()} - {""}


def assert_hint(rule: Rule, message: str, hint: str) -> None:
    """A finding's hint says what to do: present, one line, and more than the message again."""
    if not rule.hints:
        assert not hint, f"{rule.code} declares hints=False but gave one: {hint!r}"
        return
    assert hint.strip(), f"{rule.code}: no hint for {message!r}"
    assert "\n" not in hint, f"{rule.code}: a hint is one line (the text format prints it so)"
    assert hint.strip() != message.strip() and _words(hint) - _words(message), f"{rule.code}: hint {hint!r} repeats {message!r}"


@pytest.mark.parametrize("code, ex", FAILS, ids=[f"{c}-{e.label}" for c, e in FAILS])
def test_rule_stays_in_its_declared_scope(code: str, ex: Example, tmp_path: Path) -> None:
    rule = RULES[code]
    if rule.needs_opencart or rule.needs_with or rule.needs_php_versions:
        # Run the rule directly (the linter would not even start it) without what it needs.
        data = lint_input(ex, tmp_path, trees=not rule.needs_opencart, others=not rule.needs_with, php=not rule.needs_php_versions)
        assert not [r for r in rule.run(Context(data)) if isinstance(r, Finding)]
    else:
        # A rule that declares no need must fire on its example with no trees and no --with.
        results = list(rule.run(Context(lint_input(ex, tmp_path, trees=False, others=False, php=False))))
        if not any(isinstance(r, Finding) for r in results):
            _skip_without_tools([r.reason for r in results if isinstance(r, Skip)])
        assert any(isinstance(r, Finding) for r in results), f"{code} needs something it does not declare"
    for generation in GENERATIONS:
        if generation not in rule.targets:
            report = lint(lint_input(ex, tmp_path / generation, target=generation), select=[code])
            assert not [d for d in report.diagnostics if d.code == code], f"{code} fired for OpenCart {generation}"


def test_php_is_there_when_ci_says_so() -> None:
    """CI installs php and php-twig; there, no example may be skipped for want of them."""
    import os

    from examples import SYSTEM_TWIG

    if os.environ.get("CI"):
        assert shutil.which("php"), "php must be installed in CI (see .ci/run)"
        assert (SYSTEM_TWIG / "Environment.php").is_file(), "php-twig must be installed in CI (see .ci/run)"
