"""``ocmod-forge import``: turn an existing ``.ocmod.zip`` into a project that rebuilds it.

Files become literal templates (no ``.j2`` suffix, copied byte for byte), so building the
imported project reproduces every file of the package exactly; the identity goes into the
project file. Templating can then be introduced one file at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import ForgeError
from .manifest import ManifestError, parse_manifest
from .project import IDENTITY, PROJECT_FILE, Key
from .templating import MARKERS, PER_MARKETPLACE, TEMPLATE_SUFFIX
from .zipread import read_zip

_STEM_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class ImportError_(ForgeError):
    """A package cannot be imported as a literal project."""


@dataclass(frozen=True)
class Imported:
    """What ``import_package`` wrote, and what it had to leave out or adjust."""

    project_file: Path
    files: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]  # (path, why)
    adjusted: tuple[str, ...]  # identity values changed to satisfy the project-file rules


def import_package(package: Path, target: Path, *, force: bool = False) -> Imported:
    """Write a project for ``package`` into ``target``; refuses to overwrite unless ``force``."""
    name = package.name
    if not name.endswith(".ocmod.zip"):
        raise ImportError_("not an .ocmod.zip file", str(package))
    tree = read_zip(package)
    if not tree:
        raise ImportError_("package holds no files", str(package))
    identity, adjusted = _identity(tree.files["install.xml"].data if "install.xml" in tree else None, name)

    skipped: list[tuple[str, str]] = [(path, message) for _code, path, message in tree.notes]
    files: dict[Path, bytes] = {}
    for path in tree:
        segments = path.split("/")
        if any(s.startswith(".") for s in segments):
            skipped.append((path, "dot-files are never packaged (and OpenCart never copies them)"))
            continue
        if path.endswith(TEMPLATE_SUFFIX) or any(m in path for m in MARKERS) or PER_MARKETPLACE in path or segments[0] == "_partials":
            raise ImportError_(f"entry {path!r} would be treated as a template; it cannot be imported literally", str(package))
        files[target / "templates" / path] = tree[path].data

    stem = name[: -len(".ocmod.zip")]
    if not _STEM_RE.fullmatch(stem):
        adjusted.append(f"package stem {stem!r} → '{{code}}-v{{version}}'")
        stem = "{code}-v{version}"
    document = {
        "extension": identity,
        "opencart": {"target": "3.0"},
        "package": {"stem": stem, "templates": "templates", "sql": "sql", "output": "dist"},
    }
    header = f"# Imported from {name} by `ocmod-forge import`: every file is a literal template.\n"
    files[target / PROJECT_FILE] = (header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True)).encode("utf-8")

    existing = sorted(p for p in files if p.exists())
    if existing and not force:
        raise ImportError_(f"{len(existing)} file(s) already exist (first: {existing[0]}); use --force to overwrite", str(target))
    try:
        for out, data in files.items():
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
    except OSError as exc:
        raise ImportError_(f"cannot write: {exc.strerror}", str(exc.filename or target)) from None
    written = tuple(sorted(str(p.relative_to(target / "templates")) for p in files if p.name != PROJECT_FILE or p.parent != target))
    return Imported(target / PROJECT_FILE, written, tuple(skipped), tuple(adjusted))


# How `import` repairs an identity value the project file would refuse (install.xml keeps the
# original); the checks themselves are the project file's own (project.IDENTITY).
def _repair(key: Key, value: str, fallback_code: str) -> tuple[str | None, str]:
    """(new value or None to drop it, what was done)."""
    if key.name == "code":
        new = re.sub(r"[^a-z0-9_]+", "_", value.lower()).strip("_")[: key.limit or 64] or fallback_code
        return new, f"code {value!r} → {new!r} (install.xml keeps the original)"
    if key.name == "version":
        return "0.0.0", f"version {value!r} → '0.0.0' (install.xml keeps the original)"
    if key.name == "link":
        return None, f"link {value!r} dropped from the project file (install.xml keeps it)"
    return value[: key.limit], f"{key.name} shortened to {key.limit} characters (install.xml keeps the original)"


def _identity(xml: bytes | None, zip_name: str) -> tuple[dict[str, str], list[str]]:
    """Identity from install.xml, repaired where the project file's rules are stricter."""
    values: dict[str, str] = {}
    if xml is not None:
        try:
            manifest = parse_manifest(xml)
        except ManifestError as exc:
            raise ImportError_(f"install.xml: {exc.message}", "install.xml", exc.line) from None
        for key in IDENTITY:
            value = manifest.value(key.name)
            if key.name != "description" and value is not None and value.strip():
                values[key.name] = value.strip()
    adjusted: list[str] = []
    fallback = re.sub(r"[^a-z0-9_]+", "_", zip_name[: -len(".ocmod.zip")].lower()).strip("_") or "imported"
    values.setdefault("code", "")
    values.setdefault("version", "")
    for key in IDENTITY:
        if key.name not in values:
            continue
        if key.name == "name" and not values["name"]:
            continue
        if key.problem(values[key.name], f"extension.{key.name}") is None and (values[key.name] or not key.required):
            continue
        repaired, note = _repair(key, values[key.name], fallback)
        adjusted.append(note)
        if repaired is None:
            del values[key.name]
        else:
            values[key.name] = repaired
    if not values.get("name"):
        values["name"] = values["code"]
    return {k.name: values[k.name] for k in IDENTITY if k.name in values}, adjusted
