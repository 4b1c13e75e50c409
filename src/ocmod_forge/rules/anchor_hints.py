"""What the ANC rules suggest: the line a search probably meant, the lines each ``index`` selects,
the file a path probably meant. Plain text work on the original OpenCart file; no engine."""

from __future__ import annotations

import difflib

_SHOWN = 70  # characters of a line quoted in a hint


def quote(text: str) -> str:
    """``text`` stripped and cut for a one-line hint, in backticks."""
    text = " ".join(text.split())
    return f"`{text if len(text) <= _SHOWN else text[: _SHOWN - 1] + '…'}`"


def closest_line(text: str, search: str) -> tuple[int, str] | None:
    """(1-based number, line) of the line of ``text`` that holds most of ``search`` (OCMOD
    compares case-insensitively), or None when no line shares anything with it."""
    needle = search.strip().lower()
    if not needle:
        return None
    best: tuple[float, float, int, str] | None = None
    for number, line in enumerate(text.split("\n"), 1):
        low = line.lower()
        if not low.strip() or not set(needle) & set(low):
            continue
        matcher = difflib.SequenceMatcher(None, needle, low, autojunk=False)
        covered = sum(block.size for block in matcher.get_matching_blocks()) / len(needle)
        if best is None or (covered, matcher.ratio()) > best[:2]:
            best = (covered, matcher.ratio(), number, line)
    if best is None or best[0] < 0.5:
        return None
    return best[2], best[3]


def difference(search: str, line: str) -> str:
    """How ``search`` differs from ``line`` (what the search has that the line lacks)."""
    needle = search.strip()
    matcher = difflib.SequenceMatcher(None, needle.lower(), line.lower(), autojunk=False)
    # Align the search with the part of the line it resembles: text of the line around that
    # part is not a difference (a search may be any substring of its line).
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return "nothing in common"
    lo, hi = blocks[0].b, blocks[-1].b + blocks[-1].size
    window = line[lo:hi]
    parts: list[str] = []
    inner = difflib.SequenceMatcher(None, needle.lower(), window.lower(), autojunk=False)
    for tag, i1, i2, j1, j2 in inner.get_opcodes():
        ours, theirs = needle[i1:i2], window[j1:j2]
        if tag == "replace":
            parts.append(f"{quote(ours)} where the line has {quote(theirs)}")
        elif tag == "delete":
            parts.append(f"{quote(ours)} that the line lacks")
        elif tag == "insert":
            parts.append(f"nothing where the line has {quote(theirs)}")
    if not parts:
        return "the same text (check the <file path> and the OpenCart version)"
    if all(not (needle[i1:i2] + window[j1:j2]).strip() for tag, i1, i2, j1, j2 in inner.get_opcodes() if tag != "equal"):
        return "a difference in spaces or tabs only: copy the line from the file"
    more = f" (and {len(parts) - 2} more)" if len(parts) > 2 else ""
    return "your search has " + "; ".join(parts[:2]) + more


def index_map(text: str, lines: list[int], limit: int = 6) -> str:
    """``index="0"`` → line 12 `…`, … for the matching original ``lines`` (in match order)."""
    source = text.split("\n")
    shown = [f'index="{i}" → line {n} {quote(source[n - 1]) if 0 < n <= len(source) else ""}'.rstrip() for i, n in enumerate(lines[:limit])]
    return ", ".join(shown) + (f", … ({len(lines) - limit} more)" if len(lines) > limit else "")


def exact_line(text: str, lines: list[int], search: str) -> int | None:
    """The one line among ``lines`` that is exactly the search (trimmed, any case), if only one is."""
    source = text.split("\n")
    exact = [n for n in lines if 0 < n <= len(source) and source[n - 1].strip().lower() == search.strip().lower()]
    return exact[0] if len(exact) == 1 else None


def case_fragment(line: str, search: str) -> str | None:
    """The part of ``line`` that ``search`` matches case-insensitively, in the line's own case."""
    at = line.lower().find(search.strip().lower())
    return line[at : at + len(search.strip())] if at >= 0 else None


def closest_paths(part: str, names: list[str]) -> list[str]:
    """Files of the tree whose path resembles ``part``: the same folder first, then anywhere."""
    folder = part.rsplit("/", 1)[0] + "/"
    suffix = "." + part.rsplit(".", 1)[-1] if "." in part.rsplit("/", 1)[-1] else ""
    siblings = [n for n in names if n.startswith(folder) and "/" not in n[len(folder) :] and n.endswith(suffix)]
    close = difflib.get_close_matches(part, siblings, n=2, cutoff=0.5) or difflib.get_close_matches(part, [n for n in names if n.endswith(suffix)], n=2, cutoff=0.75)
    return close or siblings[:3]
