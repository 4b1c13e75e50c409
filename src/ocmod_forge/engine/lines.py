"""Line mode (``<search>`` without ``regex="true"``): refresh()'s line loop, its splices, and the
origin of every line (which line of the shipped file it is, or None for inserted text).

The loop is PHP's, step for step, with one shortcut: lines that were not touched by this
operation and do not contain the search are jumped over (PHP visits them and does nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import php
from .model import Fatal

# Origins: a positive number is a line of the shipped file; None or a negative number is
# inserted text (each operation marks its own insertions with its own negative serial, so a
# re-match of its own text is seen without rebuilding the list afterwards).
_serial = 0


def is_source(origin: int | None) -> bool:
    """The origin names a line of the shipped file."""
    return origin is not None and origin > 0


@dataclass
class LineResult:
    """What the loop did: the new text and origins, and what the outcome and log need."""

    text: str
    origin: list[int | None]
    found: bool = False
    log_lines: list[php.Number] = field(default_factory=list)
    matched: list[int] = field(default_factory=list)
    candidates: list[int] = field(default_factory=list)
    total_matches: int = 0
    case_only: list[int] = field(default_factory=list)
    rematched: bool = False
    lines: list[str] | None = None  # text.split("\n") of the new text, when it is at hand


def _splice(items: list[object], offset: int, length: int, replacement: list[object]) -> None:
    """PHP ``array_splice`` for a non-negative length: a negative offset counts from the end."""
    size = len(items)
    if offset < 0:
        offset = max(0, size + offset)
    elif offset > size:
        offset = size
    items[offset : min(size, offset + length)] = replacement


def run(
    text: str, lowered: str, origin: list[int | None], search: str, add: str, position: str, offset: php.Offset, indexes: list[str], split: list[str] | None = None
) -> LineResult:
    """One line-mode operation on ``text`` (``lowered`` is its ASCII-lowercased copy, ``split``
    its lines if known: they are copied, not changed)."""
    search_l = php.ascii_lower(search)
    if search and search_l not in lowered:
        return LineResult(text, origin, lines=split)  # PHP's loop runs but nothing matches
    lines = list(split) if split is not None else text.split("\n")
    size = len(lines)
    if search:
        check = [False] * size
        pos = lowered.find(search_l)
        line = 0
        counted = 0
        while pos >= 0:
            line += lowered.count("\n", counted, pos)
            check[line] = True
            end = lowered.find("\n", pos)
            if end < 0:
                break
            counted = end
            pos = lowered.find(search_l, end + 1)
    else:
        check = [True] * size  # PHP 8: stripos with an empty needle matches every line
    global _serial
    _serial += 1
    mine = -_serial
    origin = list(origin)
    result = LineResult(text, origin)
    new_lines = add.split("\n")
    count = len(new_lines)
    replace = position not in ("before", "after")
    i = 0
    line_id: php.Number = 0
    while line_id < len(lines):
        index = int(line_id)
        try:
            nxt = check.index(True, index)
        except ValueError:
            break
        if nxt != index:
            line_id += nxt - index
            index = nxt
        current = lines[index]
        source = origin[index]
        match = False
        if search_l in php.ascii_lower(current):
            if source == mine:
                result.rematched = True
            elif source is not None and source > 0:
                result.candidates.append(source)
            if not indexes or php.in_indexes(i, indexes):
                match = True
            i += 1
        if match:
            if offset.fatal:
                raise Fatal(offset.fatal)
            if source is not None and source > 0:
                result.matched.append(source)
            if replace:
                replaced = current.replace(search, add) if search else current
                if search and replaced == current and source is not None and source > 0:
                    result.case_only.append(source)
                if offset.negative:
                    if not offset.abs_ok:
                        raise Fatal(f"offset: non-numeric value {offset.raw!r} (abs() of a string is a TypeError)")
                    start = php.to_int_param(line_id + offset.value)
                    length = php.to_int_param(abs(offset.value) + 1)
                    _splice(lines, start, length, [replaced])  # type: ignore[arg-type]
                    _splice(origin, start, length, [source])  # type: ignore[arg-type]
                    _splice(check, start, length, [True])  # type: ignore[arg-type]
                    line_id -= offset.value
                else:
                    length = php.to_int_param(offset.value + 1)
                    _splice(lines, index, length, [replaced])  # type: ignore[arg-type]
                    _splice(origin, index, length, [source])  # type: ignore[arg-type]
                    _splice(check, index, length, [True])  # type: ignore[arg-type]
            else:
                start = php.to_int_param(line_id - offset.value if position == "before" else line_id + 1 + offset.value)
                _splice(lines, start, 0, new_lines)  # type: ignore[arg-type]
                _splice(origin, start, 0, [mine] * count)  # type: ignore[arg-type]
                _splice(check, start, 0, [True] * count)  # type: ignore[arg-type]
                line_id += count
            result.log_lines.append(line_id)
            result.found = True
        line_id += 1
    result.total_matches = i
    result.text = "\n".join(lines)
    if result.found and replace and search and "\n" in add:
        result.origin = _expand(lines, origin)
    else:
        result.origin = origin
        result.lines = lines
    return result


def _expand(lines: list[str], origin: list[int | None]) -> list[int | None]:
    """One origin per line of the joined text: a replace with a multi-line add leaves one array
    element holding several lines (the first keeps the origin, the rest are inserted text)."""
    out: list[int | None] = []
    previous = 0
    for index in [i for i, line in enumerate(lines) if "\n" in line]:
        out.extend(origin[previous : index + 1])
        out.extend([None] * lines[index].count("\n"))
        previous = index + 1
    out.extend(origin[previous:])
    return out
