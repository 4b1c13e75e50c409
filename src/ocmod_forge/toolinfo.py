"""Identities of the programs and libraries whose answers the tool depends on (php, php-twig,
its own files): they go into every cache key, so an upgrade never serves a stale answer."""

from __future__ import annotations

import functools
import os

# Debian's php-twig, which TWG002 parses templates with; its Environment.php changes with every
# upgrade, so it stands for the library's version in cache keys.
TWIG_AUTOLOAD = "/usr/share/php/Twig/autoload.php"
TWIG_ENVIRONMENT = "/usr/share/php/Twig/Environment.php"


@functools.lru_cache(maxsize=1)
def php_config_identity() -> str:
    """What changes php's answers besides the binary: PHPRC, PHP_INI_SCAN_DIR and every ini file
    in the usual configuration folders (Debian's /etc/php, /etc/php.d, /usr/local/etc/php), so
    editing php.ini (OPcache, error levels, extensions) never serves a stale verdict."""
    parts = [os.environ.get("PHPRC", ""), os.environ.get("PHP_INI_SCAN_DIR", "")]
    scan = [p for p in os.environ.get("PHP_INI_SCAN_DIR", "").split(":") if p]
    for base in ("/etc/php", "/etc/php.d", "/etc/php.ini", "/usr/local/etc/php", *scan):
        if os.path.isfile(base):
            parts.append(file_identity(base))
            continue
        parts.extend(_ini_files(base))
    return "\0".join(parts)


def _ini_files(folder: str) -> list[str]:
    """``path:size:mtime`` of every .ini file below ``folder`` (symlinks followed: Debian's
    conf.d entries are links to mods-available)."""
    out: list[str] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return out
    for entry in entries:
        try:
            if entry.is_dir():
                out.extend(_ini_files(entry.path))
            elif entry.name.endswith(".ini"):
                st = entry.stat()
                out.append(f"{entry.path}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            continue
    return out


def library_identity(*names: str) -> str:
    """Installed versions of Python libraries whose answers a cache depends on (found, not imported)."""
    import importlib.util

    parts = []
    for name in names:
        spec = importlib.util.find_spec(name)
        parts.append(file_identity(spec.origin) if spec is not None and spec.origin else f"{name}:missing")
    return "\0".join(parts)


def file_identity(path: str) -> str:
    """Real path, size and mtime of a program or library: changes when it is upgraded."""
    try:
        real = os.path.realpath(path)
        st = os.stat(real)
    except OSError:
        return f"{path}:missing"
    return f"{real}:{st.st_size}:{st.st_mtime_ns}"
