"""The rule registry: every rule module is imported here, explicitly, and collected by code."""

from __future__ import annotations

from . import anc, man, php, pkg, pth, sec, sql_rules, tpl, twg, zipsafety
from .base import Context, Finding, Rule, Skip

_MODULES = (pkg, zipsafety, pth, man, anc, sql_rules, php, twg, sec, tpl)


def _collect() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    names: set[str] = set()
    for module in _MODULES:
        for value in vars(module).values():
            if isinstance(value, Rule):
                if value.code in rules or value.name in names:
                    raise RuntimeError(f"duplicate rule {value.code} {value.name}")
                rules[value.code] = value
                names.add(value.name)
    return dict(sorted(rules.items()))


RULES: dict[str, Rule] = _collect()


def get(code_or_name: str) -> Rule:
    """A rule by code or name; ``KeyError`` with a helpful message otherwise."""
    key = code_or_name.strip()
    if key.upper() in RULES:
        return RULES[key.upper()]
    for r in RULES.values():
        if r.name == key.lower():
            return r
    raise KeyError(f"no rule {code_or_name!r}")


__all__ = ["RULES", "Context", "Finding", "Rule", "Skip", "get"]
