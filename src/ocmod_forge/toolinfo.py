"""Identities of the programs and libraries whose answers the tool depends on (php, php-twig,
its own files): they go into every cache key, so an upgrade never serves a stale answer."""

from __future__ import annotations

import os

# Debian's php-twig, which TWG002 parses templates with; its Environment.php changes with every
# upgrade, so it stands for the library's version in cache keys.
TWIG_AUTOLOAD = "/usr/share/php/Twig/autoload.php"
TWIG_ENVIRONMENT = "/usr/share/php/Twig/Environment.php"


def file_identity(path: str) -> str:
    """Real path, size and mtime of a program or library: changes when it is upgraded."""
    try:
        real = os.path.realpath(path)
        st = os.stat(real)
    except OSError:
        return f"{path}:missing"
    return f"{real}:{st.st_size}:{st.st_mtime_ns}"
