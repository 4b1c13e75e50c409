"""``ocmod-forge init``: new projects from the scaffolds shipped with the package."""

from __future__ import annotations

import re
import string
from pathlib import Path

from .errors import ForgeError
from .project import PROJECT_FILE, bundled_project_file

SCAFFOLDS = ("blank", "meschain")
# What ``init --target`` accepts: an OpenCart generation, or 4.x for both OpenCart 4 generations.
TARGETS = ("3.0", "4.0", "4.1", "4.x")
_SCAFFOLD_ROOT = Path(__file__).resolve().parent / "scaffolds"
# OpenCart 4 ranges of the 4.x scaffold: 4.0.2.0 is the first 4.0 release with '.' between route
# and method and an array for addEvent(); every 4.1 release.
_RANGES_4X = {"4.0": "4.0.2.0+", "4.1": ""}


class ScaffoldError(ForgeError):
    """A project cannot be created where asked."""


def code_for(folder: Path, generation: str = "3.0") -> str:
    """An extension code (``[a-z0-9_]+``) derived from a folder name: ``My-Ext`` → ``my_ext``.

    For OpenCart 4 the code also names a PHP namespace segment and the scaffold's file names: no
    ``__`` (two codes would share one segment), no leading digit, and the form OpenCart's
    autoloader gives back for the class (``2-fast`` → ``ext_2fast``: ``ext_2_fast`` would be
    looked for as ``ext_2fast.php``)."""
    code = re.sub(r"[^a-z0-9_]+", "_", folder.resolve().name.lower()).strip("_")
    if generation != "3.0":
        from .installer4 import class_file, route_class

        code = re.sub(r"_+", "_", code)
        if code[:1].isdigit():
            code = "ext_" + code
        code = class_file(route_class(code[:64]))[: -len(".php")] if code else code
    return code[:64].strip("_") or "my_extension"


def name_for(code: str) -> str:
    return " ".join(part.capitalize() for part in code.split("_") if part) or "My Extension"


def _targets_yaml(opencart: str) -> str:
    """The ``opencart.targets`` mapping of a 4.x project, indented under ``targets:``."""
    generations = ("4.0", "4.1") if opencart == "4.x" else (opencart,)
    return "\n".join(f'    "{g}": "{_RANGES_4X[g]}"' for g in generations) + "\n"


def plan(template: str, target: Path, opencart: str | None = None) -> dict[Path, bytes]:
    """Every file ``init`` would write (absolute path → bytes), without writing anything.

    ``opencart`` chooses the project's OpenCart: ``3.0``, ``4.0`` (4.0.2.0+), ``4.1`` or ``4.x``
    (both 4.x generations; one package each). None: 3.0 for the blank project, every generation
    the meschain project ships for (3.0, 4.0 and 4.1)."""
    if template not in SCAFFOLDS:
        raise ScaffoldError(f"unknown template {template!r} (choose from {', '.join(SCAFFOLDS)})")
    if opencart is not None and opencart not in TARGETS:
        raise ScaffoldError(f"unknown target {opencart!r} (choose from {', '.join(TARGETS)})")
    files: dict[Path, bytes] = {}
    if template == "blank":
        opencart = opencart or "3.0"
        code = code_for(target, opencart)
        root = _SCAFFOLD_ROOT / ("blank" if opencart == "3.0" else "blank-4x")
        for source in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            rel = source.relative_to(root).as_posix()
            data = source.read_bytes()
            if rel == PROJECT_FILE + ".tmpl":
                values = {"code": code, "name": name_for(code)}
                if opencart != "3.0":
                    values["targets"] = _targets_yaml(opencart)
                text = string.Template(data.decode("utf-8")).substitute(values)
                rel, data = PROJECT_FILE, text.encode("utf-8")
            elif rel == "gitignore":
                rel = ".gitignore"  # kept without the dot in the scaffold: wheels may drop dot-files
            files[target / rel] = data
        return files
    # meschain: the bundled project, with its folders made local to the new project.
    project_file = bundled_project_file()
    base = project_file.parent
    text = project_file.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(  templates:).*$", r"\1 templates", text)
    text = re.sub(r"(?m)^(  sql:).*$", r"\1 sql", text)
    if opencart is not None:
        # Keep the chosen generations' lines of `targets:` (the templates hold all three).
        kept = ("4.0", "4.1") if opencart == "4.x" else (opencart,)
        text = re.sub(r"(?m)^    '(\d\.\d)': .*\n", lambda m: m.group(0) if m.group(1) in kept else "", text)
    files[target / PROJECT_FILE] = text.encode("utf-8")
    for folder in ("templates", "sql"):
        for source in sorted(p for p in (base / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            files[target / folder / source.relative_to(base / folder)] = source.read_bytes()
    return files


def create(template: str, target: Path, *, force: bool = False, opencart: str | None = None) -> list[Path]:
    """Write a new project into ``target`` for ``opencart`` (see ``plan``); existing files are
    refused unless ``force``."""
    files = plan(template, target, opencart)
    existing = sorted(p for p in files if p.exists())
    if existing and not force:
        shown = ", ".join(str(p) for p in existing[:3]) + (" …" if len(existing) > 3 else "")
        raise ScaffoldError(f"{len(existing)} file(s) already exist ({shown}); use --force to overwrite", str(target))
    written: list[Path] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(path)
    except OSError as exc:
        raise ScaffoldError(f"cannot write: {exc.strerror}", str(exc.filename or target)) from None
    return written
