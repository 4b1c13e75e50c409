"""Typed errors raised by the library; the CLI turns every ``ForgeError`` into a one-line message
and exit code 2. Library callers catch ``ForgeError`` (one base for all of them)."""

from __future__ import annotations


class ForgeError(Exception):
    """Base class of every user-facing error.

    ``path`` and ``line`` locate the problem when known; ``str()`` gives the one-line form
    ``path:line: message`` that the CLI prints.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class ProjectError(ForgeError):
    """The project file is missing, malformed or invalid."""


class RenderError(ForgeError):
    """A template is missing, broken, or refers to an undefined variable."""


class PackageReadError(ForgeError):
    """A package folder or zip cannot be read at all."""


class OpenCartTreeError(ForgeError):
    """An OpenCart tree (store root, upload folder or release zip) cannot be used."""


class OutputError(ForgeError):
    """The output zip cannot be written."""


class PhpVersionError(ForgeError):
    """No PHP of the wanted version can be found, or it could not run or answer."""


class SelectionError(ForgeError):
    """A ``--select``/``--ignore`` entry names no rule, family or prefix."""


class UsageError(ForgeError):
    """The request itself cannot be carried out (wrong kind of input for the operation)."""
