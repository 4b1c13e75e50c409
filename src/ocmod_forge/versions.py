"""OpenCart releases and generations: what a target is, and what templates see of it.

A *generation* is the package format and runtime family a package is built for: ``3.0`` (install.xml
+ upload/), ``4.0`` and ``4.1`` (install.json + admin/ catalog/ system/ at the root; OCMOD only in
4.1). A *target* is a generation with the range of releases the package supports within it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Every public release tag, oldest first (github.com/opencart/opencart tags).
RELEASES: dict[str, tuple[str, ...]] = {
    "3.0": (
        "3.0.0.0", "3.0.1.1", "3.0.1.2", "3.0.2.0", "3.0.3.0", "3.0.3.1", "3.0.3.2", "3.0.3.3", "3.0.3.4",
        "3.0.3.5", "3.0.3.6", "3.0.3.7", "3.0.3.8", "3.0.3.9", "3.0.4.0", "3.0.4.1", "3.0.5.0", "3.0.5.1",
    ),
    "4.0": ("4.0.0.0", "4.0.1.0", "4.0.1.1", "4.0.2.0", "4.0.2.1", "4.0.2.2", "4.0.2.3"),
    "4.1": ("4.1.0.0", "4.1.0.1", "4.1.0.2", "4.1.0.3", "4.1.0.4"),
}
GENERATIONS = tuple(RELEASES)
VERSION_RE = re.compile(r"\d+\.\d+\.\d+\.\d+")


def parse(version: str) -> tuple[int, ...]:
    """``"4.0.2.3"`` → ``(4, 0, 2, 3)``; shorter versions are padded with zeros."""
    parts = tuple(int(p) for p in re.findall(r"\d+", version)[:4])
    return parts + (0,) * (4 - len(parts))


def generation_of(version: str) -> str:
    """``3.0.3.8`` → ``3.0``; ``4.1.0.4`` → ``4.1``."""
    return ".".join(version.split(".")[:2])


@dataclass(frozen=True)
class Target:
    """A generation and the releases of it a package supports (``first``–``last``, inclusive).

    Templates see it as ``target``: ``target.generation``, ``target.first``, ``target.last``,
    ``target.is_4x``, ``target.at_least("4.0.2.0")``, ``target.separator`` (the method separator in
    routes, ``|`` before 4.0.2.0 and ``.`` from it; an error when the range spans both) and
    ``str(target)`` (the generation, so ``[% if target == "3.0" %]`` works).
    """

    generation: str
    first: str
    last: str

    @classmethod
    def of(cls, generation: str, first: str | None = None, last: str | None = None) -> Target:
        releases = RELEASES[generation]
        return cls(generation, first or releases[0], last or releases[-1])

    def __str__(self) -> str:
        return self.generation

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return self.generation == other
        if isinstance(other, Target):
            return (self.generation, self.first, self.last) == (other.generation, other.first, other.last)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.generation, self.first, self.last))

    @property
    def is_4x(self) -> bool:
        return self.generation != "3.0"

    @property
    def releases(self) -> tuple[str, ...]:
        """The known releases inside the range."""
        return tuple(r for r in RELEASES[self.generation] if parse(self.first) <= parse(r) <= parse(self.last))

    def at_least(self, version: str) -> bool:
        """True when every supported release is ``version`` or newer."""
        return parse(self.first) >= parse(version)

    def at_most(self, version: str) -> bool:
        """True when every supported release is ``version`` or older."""
        return parse(self.last) <= parse(version)

    @property
    def separator(self) -> str:
        """``|`` (4.0.0.0–4.0.1.1) or ``.`` (3.0 routes and 4.0.2.0 on) between route and method."""
        if self.generation == "3.0" or self.at_least("4.0.2.0"):
            return "."
        if self.at_most("4.0.1.1"):
            return "|"
        raise ValueError(f"OpenCart {self.first}–{self.last} spans the change of the route method separator at 4.0.2.0; narrow the target's range")

    @property
    def label(self) -> str:
        return self.generation if (self.first, self.last) == (RELEASES[self.generation][0], RELEASES[self.generation][-1]) else f"{self.generation} ({self.first}–{self.last})"


def parse_target(text: str) -> Target:
    """``--target``: a generation (``4.0``) or a range of releases (``4.0.2.0+``,
    ``4.0.2.0 - 4.0.2.3``, ``4.1.0.4``). ValueError says what is wrong."""
    text = text.strip()
    if text in RELEASES:
        return Target.of(text)
    first = re.match(r"\d+\.\d+\.\d+\.\d+", text)
    if first is None or generation_of(first.group(0)) not in RELEASES:
        raise ValueError(f"{text!r} is not an OpenCart generation ({', '.join(RELEASES)}) or a range of releases like 4.0.2.0+")
    return parse_range(generation_of(first.group(0)), text)


def parse_range(generation: str, text: str) -> Target:
    """``"4.0.2.0 - 4.0.2.3"``, ``"4.0.2.0+"`` or ``""`` (every release) → a Target; ValueError explains."""
    text = text.strip()
    known = RELEASES[generation]
    if not text:
        return Target.of(generation)
    if text.endswith("+"):
        first, last = text[:-1].strip(), known[-1]
    elif "-" in text:
        first, _, last = (part.strip() for part in text.partition("-"))
    else:
        first = last = text
    for version in (first, last):
        if not VERSION_RE.fullmatch(version) or generation_of(version) != generation:
            raise ValueError(f"{version!r} is not an OpenCart {generation} release like {known[-1]}")
    if parse(first) > parse(last):
        raise ValueError(f"{first} is newer than {last}")
    return Target(generation, first, last)
