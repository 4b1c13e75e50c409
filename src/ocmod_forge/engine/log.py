"""ocmod.log: the lines refresh() collects and the entry OpenCart's Log class writes."""

from __future__ import annotations

import time

from .model import LOG_SEPARATOR, Flags

NOT_FOUND_LINES = {"abort": "NOT FOUND - ABORTING!", "skip": "NOT FOUND - OPERATION SKIPPED!", "log": "NOT FOUND - OPERATIONS ABORTED!"}


def mod(name: str) -> str:
    return "MOD: " + name


def file(key: str, sub_modification: bool) -> str:
    """``PHP_EOL . 'FILE: '``; a file already in memory is a "(sub modification)" (3.0.3.8+)."""
    return "\nFILE: (sub modification) " + key if sub_modification else "\nFILE: " + key


def code(search: str) -> str:
    return "CODE: " + search


def regex(pattern: str) -> str:
    return "REGEX: " + pattern


def line(number: str) -> str:
    return "LINE: " + number


def not_found(mode: str) -> str:
    return NOT_FOUND_LINES[mode]


def separator() -> str:
    return LOG_SEPARATOR


def entry(text: str, flags: Flags, when: time.struct_time | None = None) -> str:
    """The text appended to ocmod.log: PHP ``date()`` timestamp, `` - ``, the lines, newline.

    3.0's Log uses ``Y-m-d G:i:s`` (hour without leading zero), 4.1's ``Y-m-d H:i:s``."""
    now = when or time.localtime()
    hour = f"{now.tm_hour:02d}" if flags.padded_log_hour else str(now.tm_hour)
    return time.strftime("%Y-%m-%d ", now) + hour + time.strftime(":%M:%S", now) + " - " + text + "\n"
