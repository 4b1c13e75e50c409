"""What the ANC rules suggest: the line a search probably meant, the lines each ``index`` selects,
the file a path probably meant. Plain text work on the original OpenCart file; no engine."""

from __future__ import annotations

import difflib
import itertools

_SHOWN = 70  # characters of a line quoted in a hint
_RUN = 3  # shared characters in a row that count as common text (shorter runs are chance)


def quote(text: str, exact: bool = False) -> str:
    """``text`` cut for a one-line hint, in backticks: stripped, or with its own spaces kept
    (``exact``, for a difference that may be a space) and tabs and newlines shown as \\t, \\n."""
    text = text.replace("\t", "\\t").replace("\n", "\\n") if exact else " ".join(text.split())
    return f"`{text if len(text) <= _SHOWN else text[: _SHOWN - 1] + '…'}`"


def closest_line(text: str, search: str) -> tuple[int, str, float] | None:
    """(1-based number, line, share of the search found in it) for the line of ``text`` that
    holds most of ``search`` (OCMOD compares case-insensitively), or None when none holds half."""
    needle = search.strip().lower()
    if not needle:
        return None
    best: tuple[float, float, int, str] | None = None
    for number, line in enumerate(text.split("\n"), 1):
        low = line.lower()
        if not low.strip() or not set(needle) & set(low):
            continue
        matcher = difflib.SequenceMatcher(None, needle, low, autojunk=False)
        # Runs of a few characters ("{{ ", "</") match almost any line: only longer runs count.
        covered = sum(block.size for block in matcher.get_matching_blocks() if block.size >= min(_RUN + 1, len(needle))) / len(needle)
        if best is None or (covered, matcher.ratio()) > best[:2]:
            best = (covered, matcher.ratio(), number, line)
    if best is None or best[0] < 0.5:
        return None
    return best[2], best[3], best[0]


def difference(search: str, line: str) -> str:
    """How ``search`` differs from ``line``: the parts of the search between the runs it shares
    with the line (a search may be any part of its line, so the rest of the line is no difference)."""
    needle = search.strip()
    matcher = difflib.SequenceMatcher(None, needle.lower(), line.lower(), autojunk=False)
    runs = [b for b in matcher.get_matching_blocks() if b.size >= min(_RUN, len(needle))]
    if not runs:
        return "it shares no run of characters with your search"
    gaps: list[tuple[str, str]] = []  # (search's text, line's text) between shared runs
    if runs[0].a:
        gaps.append((needle[: runs[0].a], ""))
    for here, after in itertools.pairwise(runs):
        gaps.append((needle[here.a + here.size : after.a], line[here.b + here.size : after.b]))
    end = runs[-1].a + runs[-1].size
    if end < len(needle):
        gaps.append((needle[end:], ""))
    gaps = [(ours, theirs) for ours, theirs in gaps if ours or theirs]
    if not gaps:
        return "the same text (check the <file path> and the OpenCart version)"
    if all(not (ours + theirs).strip() for ours, theirs in gaps):
        return "a difference in spaces or tabs only: copy the line from the file"
    if len(gaps) > 3:
        return "it differs in several places: copy the line from the file"
    parts = []
    for ours, theirs in gaps:
        if ours and theirs:
            parts.append(f"{quote(ours, True)} where the line has {quote(theirs, True)}")
        elif ours:
            parts.append(f"{quote(ours, True)} that the line lacks")
        else:
            parts.append(f"nothing where the line has {quote(theirs, True)}")
    return "your search has " + "; ".join(parts)


def found_elsewhere(search: str, files: list[tuple[str, str]]) -> tuple[str, int] | None:
    """(file, 1-based line) of the first of ``files`` (name, text) with a line holding ``search``."""
    needle = search.strip().lower()
    for name, text in files:
        for number, line in enumerate(text.split("\n"), 1):
            if needle and needle in line.lower():
                return name, number
    return None


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
