"""``ocmod-forge init``: new projects from the scaffolds shipped with the package."""

from __future__ import annotations

import re
import string
from pathlib import Path

from .errors import ForgeError
from .project import PROJECT_FILE, bundled_project_file

SCAFFOLDS = ("blank", "meschain")
_SCAFFOLD_ROOT = Path(__file__).resolve().parent / "scaffolds"


class ScaffoldError(ForgeError):
    """A project cannot be created where asked."""


def code_for(folder: Path) -> str:
    """An extension code (``[a-z0-9_]+``) derived from a folder name: ``My-Ext`` → ``my_ext``."""
    code = re.sub(r"[^a-z0-9_]+", "_", folder.resolve().name.lower()).strip("_")
    return code[:64] or "my_extension"


def name_for(code: str) -> str:
    return " ".join(part.capitalize() for part in code.split("_") if part) or "My Extension"


def plan(template: str, target: Path) -> dict[Path, bytes]:
    """Every file ``init`` would write (absolute path → bytes), without writing anything."""
    if template not in SCAFFOLDS:
        raise ScaffoldError(f"unknown template {template!r} (choose from {', '.join(SCAFFOLDS)})")
    files: dict[Path, bytes] = {}
    if template == "blank":
        code = code_for(target)
        root = _SCAFFOLD_ROOT / "blank"
        for source in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = source.relative_to(root).as_posix()
            data = source.read_bytes()
            if rel == PROJECT_FILE + ".tmpl":
                text = string.Template(data.decode("utf-8")).substitute(code=code, name=name_for(code))
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
    files[target / PROJECT_FILE] = text.encode("utf-8")
    for folder in ("templates", "sql"):
        for source in sorted(p for p in (base / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            files[target / folder / source.relative_to(base / folder)] = source.read_bytes()
    return files


def create(template: str, target: Path, *, force: bool = False) -> list[Path]:
    """Write a new project into ``target``; existing files are refused unless ``force``."""
    files = plan(template, target)
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
