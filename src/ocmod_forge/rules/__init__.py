"""The rule registry: every rule module is imported here, explicitly, and collected by code.

``RULES`` is built on first use (PEP 562), so a build whose report comes from the report cache
never imports the rule modules (and what they import: lxml, the engine).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .base import Context, Finding, Rule, Skip

_MODULES = ("pkg", "zipsafety", "pth", "man", "anc", "sql_rules", "php", "twg", "sec", "tpl")


def _collect() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    names: set[str] = set()
    for module in (import_module(f".{name}", __name__) for name in _MODULES):
        for value in vars(module).values():
            if isinstance(value, Rule):
                if value.code in rules or value.name in names:
                    raise RuntimeError(f"duplicate rule {value.code} {value.name}")
                rules[value.code] = value
                names.add(value.name)
    return dict(sorted(rules.items()))


def __getattr__(name: str) -> Any:
    if name == "RULES":
        rules = _collect()
        globals()["RULES"] = rules
        return rules
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get(code_or_name: str) -> Rule:
    """A rule by code or name; ``KeyError`` with a helpful message otherwise."""
    rules: dict[str, Rule] = __getattr__("RULES") if "RULES" not in globals() else globals()["RULES"]
    key = code_or_name.strip()
    if key.upper() in rules:
        return rules[key.upper()]
    for r in rules.values():
        if r.name == key.lower():
            return r
    raise KeyError(f"no rule {code_or_name!r}")


__all__ = ["RULES", "Context", "Finding", "Rule", "Skip", "get"]
