"""``<file path>`` resolution: ``|`` parts, the prefix test, and globbing with braces as
glibc's ``glob(GLOB_BRACE)`` (3.0, 4.1.0.0–4.1.0.3) or 4.1.0.4's ``oc_glob`` does it."""

from __future__ import annotations

import re
from collections.abc import Callable

from .model import Flags

_OC_GLOB_GROUP = re.compile(r"\{([^}]+)\}")


def parts(path: str | None, flags: Flags) -> list[str]:
    """``explode('|', str_replace('\\\\', '/', $path))`` (the replace only from 3.0.3.7)."""
    raw = path or ""
    if flags.backslash_paths:
        raw = raw.replace("\\", "/")
    return raw.split("|")


def pattern_for(part: str, flags: Flags) -> str | None:
    """The glob pattern relative to the store root for one part, or None when no prefix applies.

    OpenCart tests the leading characters (``substr($file, 0, 7) == 'catalog'``), drops the
    next character whatever it is, and the last prefix that matches wins.
    """
    found = None
    for prefix in flags.prefixes:
        if part[: len(prefix)] == prefix:
            found = prefix
    if found is None:
        return None
    return found + "/" + part[len(found) + 1 :]


def _next_brace_sub(pattern: str, start: int) -> int:
    """glibc's next_brace_sub: index of the ``,`` or ``}`` ending the alternative at ``start``."""
    depth = 0
    i = start
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                return i
            depth -= 1
        elif c == "," and depth == 0:
            return i
        i += 1
    return -1


def glibc_brace(pattern: str, glob: Callable[[str], list[str]]) -> list[str]:
    """``glob($pattern, GLOB_BRACE)`` with glibc: each alternative globbed (with braces) and
    sorted on its own, results appended in order, duplicates kept."""
    if "{" not in pattern:
        return glob(pattern)
    begin = 0
    while begin < len(pattern):
        if pattern[begin] == "\\" and begin + 1 < len(pattern):
            begin += 2
            continue
        if pattern[begin] == "{":
            break
        begin += 1
    else:
        return glob(pattern)
    alternatives: list[str] = []
    p = begin + 1
    while True:
        nxt = _next_brace_sub(pattern, p)
        if nxt < 0:
            return glob(pattern)  # unbalanced: the braces are literal
        alternatives.append(pattern[p:nxt])
        if pattern[nxt] == "}":
            break
        p = nxt + 1
    rest = pattern[nxt + 1 :]
    out: list[str] = []
    for alternative in alternatives:
        out.extend(glibc_brace(pattern[:begin] + alternative + rest, glob))
    return out


def oc_glob(pattern: str, glob: Callable[[str], list[str]]) -> list[str]:
    """4.1.0.4's ``oc_glob``: the first ``{…}`` (no nesting) is replaced everywhere by each
    option in turn, recursively; results deduplicated and sorted."""
    if "{" not in pattern:
        return glob(pattern)
    matches: list[str] = []
    group = _OC_GLOB_GROUP.search(pattern)
    if group is not None:
        for option in group.group(1).split(","):
            matches.extend(oc_glob(pattern.replace(group.group(0), option), glob))
    return sorted(set(matches), key=_php_sort_key)


def _php_sort_key(key: str) -> bytes:
    return key.encode("utf-8", "surrogateescape")


def resolve(pattern: str, flags: Flags, glob: Callable[[str], list[str]]) -> list[str]:
    """The cache keys OpenCart's glob returns for a pattern, in its order."""
    if flags.dedupe_glob:
        return oc_glob(pattern, glob)
    return glibc_brace(pattern, glob)
