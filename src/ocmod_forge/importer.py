"""``ocmod-forge import``: turn an existing ``.ocmod.zip`` into a project that rebuilds it.

Files become literal templates (no ``.j2`` suffix, copied byte for byte), so building the
imported project reproduces every file of the package exactly; the identity goes into the
project file, and install.xml (OpenCart 3.0) or install.json (OpenCart 4) takes it from there
(one source). Templating can then be introduced one file at a time.

An OpenCart 4 package (install.json, admin/, catalog/ or system/ at the root) gets its code
from the file name (``<code>.ocmod.zip``: OpenCart ignores any code inside), and its targets
as ``validate`` reads them: 4.1 when it has ``ocmod/`` or 4.1-style model events, else 4.0 (the
releases of the route separator it uses) and 4.1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import ForgeError
from .installer4 import code_problems, decode_install_json, package_code
from .manifest import ManifestError, parse_manifest
from .project import IDENTITY, PROJECT_FILE, Key
from .templating import MARKERS, PER_MARKETPLACE, TEMPLATE_SUFFIX, to_json
from .tree import PackageTree
from .versions import Target
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


def _is_30(files: dict[str, bytes], prefix: str = "") -> bool:
    return f"{prefix}install.xml" in files or any(p.startswith(f"{prefix}upload/") for p in files)


def _is_4x(files: dict[str, bytes], prefix: str = "") -> bool:
    """OpenCart 4's layout, as ``api.detect_generation`` reads it: install.json or admin/, catalog/,
    system/ at the root, and nothing of 3.0's."""
    roots = {p[len(prefix) :].split("/", 1)[0] for p in files if p.startswith(prefix) and "/" in p[len(prefix) :]}
    return not _is_30(files, prefix) and (f"{prefix}install.json" in files or bool(roots & {"admin", "catalog", "system"}))


def _unwrap(tree: PackageTree) -> tuple[dict[str, bytes], str]:
    """The package's files by path, without a wrapper folder (``x/install.xml`` → ``install.xml``,
    ``x/install.json`` → ``install.json``) when every entry sits in it; and the folder that was
    removed ("" when none)."""
    files = {path: tree[path].data for path in tree}
    if _is_30(files) or _is_4x(files):
        return files, ""
    tops = {p.split("/", 1)[0] for p in files}
    if len(tops) == 1 and all("/" in p for p in files):
        top = next(iter(tops)) + "/"
        if _is_30(files, top) or _is_4x(files, top):
            return {p[len(top) :]: data for p, data in files.items() if p.startswith(top)}, top
    return files, ""


def _templated_manifest(xml: bytes, identity: dict[str, str]) -> bytes | None:
    """install.xml as a template whose identity elements come from the project file (one source
    for name, code, version, author and link), or None when that would not render the same bytes."""
    try:
        text = xml.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(marker in text for marker in MARKERS) or "\r" in text:
        return None  # template syntax in its text, or CRLF line ends (a render writes LF)
    for key, value in identity.items():
        element = f"<{key}>{value}</{key}>"
        if text.count(element) != 1 or any(c in value for c in "&<>\"'"):
            continue  # absent, repeated, escaped or CDATA: keep it literal
        text = text.replace(element, f"<{key}>[= ext.{key} =]</{key}>")
    return text.encode("utf-8") if text.encode("utf-8") != xml else None


_JSON_KEYS = ("name", "version", "author", "link", "description")


def _templated_install_json(data: bytes, identity: dict[str, str]) -> bytes | None:
    """install.json as a template whose identity values come from the project file, or None when
    that would not render the same bytes (escaped differently, repeated, CRLF, template syntax)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(marker in text for marker in MARKERS) or "\r" in text or text.startswith("\ufeff"):
        return None
    for key, value in identity.items():
        if key not in _JSON_KEYS:
            continue
        pattern = re.compile(r'("' + key + r'"\s*:\s*)' + re.escape(to_json(value)) + r"(?=\s*[,}])")
        found = list(pattern.finditer(text))
        if len(found) != 1:
            continue  # absent, repeated, or written with other escapes: keep it literal
        m = found[0]
        text = text[: m.start()] + m.group(1) + f"[= ext.{key}|json =]" + text[m.end() :]
    return text.encode("utf-8") if text.encode("utf-8") != data else None


def _identity4(data: bytes | None, zip_name: str) -> tuple[dict[str, str], list[str], set[str]]:
    """Identity of an OpenCart 4 package: code from the file name, the rest from install.json,
    repaired where the project file's rules are stricter (as ``_identity``)."""
    values: dict[str, str] = {}
    decoded = decode_install_json(data)[0] if data is not None else None
    if isinstance(decoded, dict):
        for json_key in _JSON_KEYS:
            value = decoded.get(json_key)
            if isinstance(value, str) and value.strip():
                values[json_key] = value.strip() if json_key != "description" else value
    adjusted: list[str] = []
    code = package_code(zip_name)
    fallback = re.sub(r"_+", "_", re.sub(r"[^a-z0-9_]+", "_", code.lower())).strip("_") or "imported"
    if code_problems(code) or len(code) > 64:
        adjusted.append(f"code {code!r} (the file name) → {fallback!r}: OpenCart 4 takes the code from the file name, so build names the zip {fallback}.ocmod.zip")
        code = fallback
    values["code"] = code
    values.setdefault("version", "")
    return _repaired(values, code, "install.json", adjusted, skip="code")


def _targets_4x(contents: dict[str, bytes], name: str) -> list[str] | dict[str, str]:
    """The targets of an imported 4.x package, as ``validate`` reads its generation: 4.1 alone when
    it has ocmod/ (4.0 has no OCMOD) or registers 4.1-style model events; else 4.0 and 4.1, with
    4.0 narrowed to the releases its route separator works on (a '.' route never reaches its
    method on 4.0.0.0-4.0.1.1, a '|' one never on 4.0.2.0 and later)."""
    from .api import separator_range, uses_41_model_triggers
    from .tree import PackageFile

    tree = PackageTree(files={path: PackageFile(data=data) for path, data in contents.items()}, origin=name)
    if any(p.startswith("ocmod/") for p in contents) or uses_41_model_triggers(tree):
        return ["4.1"]
    four0, _ = separator_range(tree, name)
    if _triggers_never_fire_on_41(tree, name):
        return {"4.0": f"{four0.first} - {four0.last}"} if four0 != Target.of("4.0") else ["4.0"]
    if four0 == Target.of("4.0"):
        return ["4.0", "4.1"]
    return {"4.0": f"{four0.first} - {four0.last}", "4.1": ""}


def _triggers_never_fire_on_41(tree: PackageTree, name: str) -> bool:
    """Does the package register events in a form OpenCart 4.1 never fires (4.0's model triggers)?
    Then it is a 4.0 package: building it for 4.1 too would only produce a refused target."""
    from .context import LintInput
    from .lint import lint

    data = LintInput(tree=tree, target="4.1", package_name=name, target_range=Target.of("4.1"))
    return any(d.code == "RTE005" for d in lint(data, select=["RTE005"]).diagnostics)


def import_package(package: Path, target: Path, *, force: bool = False) -> Imported:
    """Write a project for ``package`` into ``target``; refuses to overwrite unless ``force``.

    A wrapper folder is removed (OpenCart installs nothing from a wrapped zip) and the identity
    is read from the install.xml inside it; install.xml then takes its identity from the project
    file, so the version is written in one place. Everything done is reported in ``adjusted``.
    """
    name = package.name
    if not name.endswith(".ocmod.zip"):
        raise ImportError_("not an .ocmod.zip file", str(package))
    tree = read_zip(package)
    unreadable = [message for code, _path, message in tree.notes if code == "not-a-zip"]
    if unreadable:
        raise ImportError_(unreadable[0], str(package))
    if not tree:
        raise ImportError_("package holds no files (an empty zip)", str(package))
    contents, wrapper = _unwrap(tree)
    four = _is_4x(contents)
    if four:
        identity, adjusted, changed = _identity4(contents.get("install.json"), name)
    else:
        identity, adjusted, changed = _identity(contents.get("install.xml"), name)
    if wrapper:
        what = "install.json, admin/ and catalog/" if four else "install.xml and upload/"
        adjusted.insert(0, f"removed the wrapper folder {wrapper!r}: OpenCart installs nothing useful from a zip whose {what} sit inside a folder")

    skipped: list[tuple[str, str]] = [(path, message) for _code, path, message in tree.notes]
    files: dict[Path, bytes] = {}
    for path, data in contents.items():
        segments = path.split("/")
        if any(s.startswith(".") for s in segments):
            skipped.append((path, "dot-files are never packaged (and OpenCart never copies them)"))
            continue
        if path.endswith(TEMPLATE_SUFFIX) or any(m in path for m in MARKERS) or PER_MARKETPLACE in path or segments[0] == "_partials":
            raise ImportError_(f"entry {path!r} would be treated as a template; it cannot be imported literally", str(package))
        files[target / "templates" / path] = data
    manifest = "install.json" if four else "install.xml"
    if manifest in contents and target / "templates" / manifest in files:
        same = {k: v for k, v in identity.items() if k not in changed}
        templated = _templated_install_json(contents[manifest], same) if four else _templated_manifest(contents[manifest], same)
        if templated is not None:
            del files[target / "templates" / manifest]
            files[target / "templates" / (manifest + TEMPLATE_SUFFIX)] = templated

    document: dict[str, object]
    if four:
        targets = _targets_4x(contents, name)
        document = {
            "extension": identity,
            "opencart": {"targets": targets},
            "package": {"templates": "templates", "sql": "sql", "output": "dist"},
        }
    else:
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


def _identity(xml: bytes | None, zip_name: str) -> tuple[dict[str, str], list[str], set[str]]:
    """Identity from install.xml, repaired where the project file's rules are stricter: (values,
    what was repaired, the keys whose project value differs from install.xml)."""
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
    fallback = re.sub(r"[^a-z0-9_]+", "_", zip_name[: -len(".ocmod.zip")].lower()).strip("_") or "imported"
    values.setdefault("code", "")
    values.setdefault("version", "")
    return _repaired(values, fallback, "install.xml", [])


def _repaired(values: dict[str, str], fallback: str, manifest: str, adjusted: list[str], skip: str = "") -> tuple[dict[str, str], list[str], set[str]]:
    """(values, what was repaired, the keys whose project value differs from ``manifest``) after
    repairing every value the project file's rules refuse (``fallback`` stands in for a bad code);
    a missing name becomes the code. ``adjusted`` holds notes made before."""
    changed: set[str] = set()
    for key in IDENTITY:
        if key.name not in values or key.name == skip:
            continue
        if key.name == "name" and not values["name"]:
            continue
        if key.problem(values[key.name], f"extension.{key.name}") is None and (values[key.name] or not key.required):
            continue
        repaired, note = _repair(key, values[key.name], fallback)
        adjusted.append(note.replace("install.xml", manifest))
        changed.add(key.name)
        if repaired is None:
            del values[key.name]
        else:
            values[key.name] = repaired
    if not values.get("name"):
        values["name"] = values["code"]
        changed.add("name")
    return {k.name: values[k.name] for k in IDENTITY if k.name in values}, adjusted, changed
