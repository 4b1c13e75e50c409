"""The engine's data: version flags, the file source it reads, and what a refresh returns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from ..manifest import FileBlock, Manifest, Operation

LOG_SEPARATOR = "-" * 64


@dataclass(frozen=True)
class Flags:
    """Differences between OpenCart versions that change what a refresh does."""

    version: str = "3.0.3.8"
    abort_stops_later_mods: bool = True  # 3.0: `break 5`; 4.1: `break 4`, only this modification
    backslash_paths: bool = True  # 3.0.3.7+: '\\' in path becomes '/' (before, it escapes in glob)
    sub_modification_log: bool = True  # 3.0.3.8+: "FILE: (sub modification) key"; before: no line
    prefixes: tuple[str, ...] = ("catalog", "admin", "system")
    dedupe_glob: bool = False  # 4.1.0.4 oc_glob: own brace expansion, array_unique + sort
    int_cast: bool = False  # 4.1: offset and limit are (int) casts; 3.0: strings in PHP 8 arithmetic
    skip_incomplete: bool = False  # 3.0.5.1: no <modification>, or no <search>/<add>, is skipped (else fatal)
    core_modification: bool = True  # 3.0 applies system/modification.xml first; 4.1 has none
    padded_log_hour: bool = False  # 4.1's Log writes date('Y-m-d H:i:s'); 3.0's 'Y-m-d G:i:s'


def flags_for(version: str) -> Flags:
    """The flags for an OpenCart version string such as ``3.0.3.8`` or ``4.1.0.4``."""
    parts = tuple(int(p) for p in re.findall(r"\d+", version)[:4]) or (3, 0, 3, 8)
    parts = parts + (0,) * (4 - len(parts))
    if parts[:2] >= (4, 1):
        return Flags(
            version,
            abort_stops_later_mods=False,
            prefixes=("catalog", "admin", "extension", "system"),
            dedupe_glob=parts >= (4, 1, 0, 4),
            int_cast=True,
            core_modification=False,
            padded_log_hour=True,
        )
    return Flags(
        version,
        backslash_paths=parts >= (3, 0, 3, 7),
        sub_modification_log=parts >= (3, 0, 3, 8),
        skip_incomplete=parts >= (3, 0, 5, 1),
    )


class FileSource(Protocol):
    """An OpenCart tree, by cache key (``admin/…``, ``catalog/…``, ``extension/…``, ``system/…``)."""

    def glob(self, pattern: str) -> list[str]:
        """glob(3) of one brace-free pattern relative to the tree root (``*``, ``?``, ``[…]``,
        backslash escapes; ``*`` stops at ``/`` and skips leading dots): files and folders, in
        byte order, named as the pattern spells them."""

    def read(self, key: str) -> str:
        """The file's text (UTF-8, undecodable bytes kept as surrogates); ``""`` for a folder."""


# Outcome.status values
APPLIED = "applied"  # the operation acted on at least one line (or regex match)
NOT_FOUND = "not-found"  # nothing matched: error_mode says what OpenCart did
IGNORED = "ignored"  # <ignoreif> hit: skipped silently
SKIPPED = "skipped"  # 3.0.5.1: an operation without <search> or <add> is skipped silently
FATAL = "fatal"  # the operation kills Refresh (a PHP Error): apply raises Fatal
UNSUPPORTED = "unsupported"  # cannot be emulated exactly (message says why); see Result.exact


@dataclass
class Outcome:
    """What one operation did to one target file.

    ``status`` is one of APPLIED, NOT_FOUND, IGNORED, SKIPPED, FATAL, UNSUPPORTED. For an
    UNSUPPORTED operation the engine leaves the file as it was and takes no error mode; the
    message names the construct, and everything computed after it (``Result.exact`` is False)
    may differ from OpenCart.
    """

    mod: int  # index of the modification in the applied list
    block: FileBlock
    operation: Operation
    key: str
    status: str
    error_mode: str = "log"  # the mode OpenCart used when nothing matched: log, skip, abort
    matched: list[int] = field(default_factory=list)  # 1-based lines of the ORIGINAL file acted on
    candidates: list[int] = field(default_factory=list)  # matching original lines, before `index` filtering
    total_matches: int = 0  # every matching line, inserted ones included (what `index` counts)
    case_only: list[int] = field(default_factory=list)  # replace: matched only case-insensitively, unchanged
    rematched: bool = False  # inserted text of this operation matched its search again
    regex_invalid: bool = False  # PHP refuses the pattern: preg_replace returned null, the file is blanked
    message: str = ""
    log_lines: list[int | float] = field(default_factory=list)  # the LINE: numbers OpenCart logged
    blanked: bool = False  # the file's text was null after this operation (regex failure)


@dataclass
class PathMiss:
    """A ``|``-part of a ``<file path>`` that resolved to no file (OpenCart skips it silently)."""

    mod: int
    block: FileBlock
    part: str
    reason: str


@dataclass
class ModState:
    """Per modification: rolled back by an abort, never applied because of an earlier abort,
    or skipped (3.0.5.1, no ``<modification>`` element)."""

    manifest: Manifest
    aborted: bool = False
    cancelled_by: int | None = None
    skipped: bool = False


@dataclass
class Result:
    """Everything a refresh produced.

    ``exact`` is False when some operation was UNSUPPORTED (``unsupported`` lists them): the
    files and log are then the engine's best effort, not a guaranteed copy of OpenCart's.
    """

    files: dict[str, str]  # key -> final text, only files OpenCart writes (changed ones)
    originals: dict[str, str]
    outcomes: list[Outcome]
    misses: list[PathMiss]
    mods: list[ModState]
    log: list[str]
    unsupported: list[Outcome] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return not self.unsupported

    def log_text(self) -> str:
        """The ocmod.log entry OpenCart writes, without its timestamp."""
        return "\n".join(self.log)


class Fatal(Exception):
    """A construct that stops OpenCart's refresh with a PHP fatal error (nothing is written).

    ``exact`` is False when an unsupported operation came first: OpenCart may not get there."""

    def __init__(self, message: str, exact: bool = True) -> None:
        super().__init__(message)
        self.exact = exact


class Unsupported(Exception):
    """Raised inside the engine for a construct it cannot emulate exactly; becomes an Outcome."""
