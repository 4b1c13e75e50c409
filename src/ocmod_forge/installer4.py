"""OpenCart 4.x's Extensions > Installer, emulated, and how a package path becomes a PHP class.

Pure functions of their arguments (a zip entry name, a file name, a release such as ``4.0.2.3``):
nothing here reads a file or a store. They answer what the installer of that release does with an
upload named X (``upload_refusals``), with its ``install.json`` (``install_json_outcome``) and with
each zip entry (``place``, ``install_plan``): where it lands, whether it is skipped, written
outside the folder it was meant for (zip slip), or silently not written because a core file is
there. The second half is the runtime identity of the files: the namespace segment of a code and
the route → class → file round trip of OpenCart's Factory and Autoloader.

Citations ``TAG:path:line`` are to ``upload/<path>`` at that OpenCart tag, as in
shared/design/opencart4-facts.md (I = admin/controller/marketplace/installer.php, F =
system/engine/factory.php, A = system/engine/action.php, AL = system/engine/autoloader.php,
SEA = admin/controller/startup/extension.php).
"""

from __future__ import annotations

import json
import math
import posixpath
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .versions import RELEASES, parse

__all__ = [
    "SUFFIX",
    "TYPES",
    "ExpectedClass",
    "InstallJsonOutcome",
    "InstallPlan",
    "Placement",
    "Refusal",
    "after_steps",
    "class_file",
    "code_problems",
    "decode_install_json",
    "expected_class",
    "extension_types",
    "install_json_outcome",
    "install_pages",
    "install_plan",
    "namespace_segment",
    "package_code",
    "php_basename",
    "php_truthy",
    "place",
    "route_class",
    "taken_code",
    "ucwords",
    "upload_refusals",
    "vendor_autoloaded",
]

SUFFIX = ".ocmod.zip"
PAGE = 200  # entries extracted per install request (4.1.0.4:I:417)
PATH_COLUMN = 255  # extension_path.path varchar(255) (4.1.0.4:DB:3143)

# Messages of admin/language/en-gb/marketplace/installer.php (4.1.0.4:LI:27-44, same words in 4.0.x).
MESSAGES = {
    "filename": "Filename must be between 3 and 128 characters!",
    "file_type": "Invalid file type!",
    "installed": "Extension already installed!",
    "directory_exists": "Path {code}/ already exists!",
    "install": "Warning: Could not find install.json!",
    "unzip": "Zip file could not be opened!",
    "name": "Name must be between 3 and 128 characters!",
    "version": "Version must be between 3 and 128 characters!",
    "author": "Author must be between 3 and 128 characters!",
    "link": "Link must be between 3 and 128 characters!",
}


def _at_least(release: str, version: str) -> bool:
    return parse(release) >= parse(version)


def _known(release: str) -> str:
    if not any(release in releases for generation, releases in RELEASES.items() if generation != "3.0"):
        raise ValueError(f"{release!r} is not an OpenCart 4 release")
    return release


# --------------------------------------------------------------------------- PHP built-ins


def php_basename(name: str, suffix: str = "") -> str:
    """PHP ``basename($name, $suffix)`` on Linux: the last ``/`` component (trailing slashes
    dropped); the suffix is removed only when it is not the whole name (``.ocmod.zip`` stays
    ``.ocmod.zip``, fact check A4)."""
    base = name.rstrip("/").rsplit("/", 1)[-1]
    if suffix and base.endswith(suffix) and base != suffix:
        base = base[: -len(suffix)]
    return base


def ucwords(text: str, delimiters: str) -> str:
    """PHP ``ucwords($text, $delimiters)``: the first character and each one after a delimiter
    upper-cased (ASCII letters only, PHP 8.2+); nothing is lower-cased."""
    out = []
    upper_next = True
    for ch in text:
        out.append(ch.upper() if upper_next and "a" <= ch <= "z" else ch)
        upper_next = ch in delimiters
    return "".join(out)


def php_truthy(value: Any) -> bool:
    """PHP's truthiness of a ``json_decode(…, true)`` value: ``""``, ``"0"``, ``0``, ``0.0``,
    ``false``, ``null`` and empty arrays are false."""
    if isinstance(value, str):
        return value not in ("", "0")
    return bool(value)


# --------------------------------------------------------------------------- upload (§1.2)


@dataclass(frozen=True)
class Refusal:
    """One check of the installer that fails: its key, OpenCart's message, and the source line."""

    check: str  # length | suffix | dot-code | installed | directory-exists
    message: str
    source: str


def package_code(file_name: str) -> str:
    """The extension code OpenCart takes from an upload: ``basename($filename, '.ocmod.zip')``
    (4.0.2.3:I:278, 4.1.0.4:I:234). Nothing in install.json changes it."""
    return php_basename(file_name, SUFFIX)


def _php_trim(text: str) -> str:
    return text.strip(" \t\n\r\0\x0b")


def upload_refusals(file_name: str, release: str) -> tuple[Refusal, ...]:
    """Every check of ``upload()`` that refuses this file name on ``release``, in the order the
    code runs them. Each sets ``$json['error']``, so OpenCart shows the last one.

    Length 1–128: 4.0.0.0 ``utf8_strlen`` (mb), 4.0.1.0–4.0.2.3 ``mb_strlen`` (4.0.2.3:I:208),
    4.1.0.0 ``strlen(trim())`` — bytes, 4.1.0.1+ ``oc_strlen(trim())`` (4.1.0.4:I:273,
    system/helper/validation.php:11-12). Suffix: ``substr($filename, -10) != '.ocmod.zip'``,
    case-sensitive (4.0.2.3:I:213); 4.1.0.4 also refuses the codes ``.`` and ``..`` (:278).
    ``opencart`` is in ``extension_install`` from the install SQL: "Extension already installed!"
    (4.0.2.3:I:230). State-dependent checks (file already uploaded, upload errors) are not here.
    """
    _known(release)
    name = php_basename(file_name)
    code = php_basename(name, SUFFIX)
    out: list[Refusal] = []
    if _at_least(release, "4.1.0.0"):
        trimmed = _php_trim(name)
        length = len(trimmed.encode("utf-8")) if release == "4.1.0.0" else len(trimmed)
        source = "upload(): oc_validate_length($filename, 1, 128) (4.1.0.4:I:273)"
    else:
        length = len(name)
        source = "upload(): (oc_strlen($filename) < 1) || (oc_strlen($filename) > 128) (4.0.2.3:I:208)"
    if not 1 <= length <= 128:
        out.append(Refusal("length", MESSAGES["filename"], source))
    if name[-10:] != SUFFIX:
        out.append(Refusal("suffix", MESSAGES["file_type"], "upload(): substr($filename, -10) != '.ocmod.zip' (4.0.2.3:I:213)"))
    elif release == "4.1.0.4" and code in (".", ".."):
        out.append(Refusal("dot-code", MESSAGES["file_type"], "4.1.0.4:I:278 $code == '.' || $code == '..'"))
    if code == "opencart":
        out.append(Refusal("installed", MESSAGES["installed"], "upload(): getInstallByCode() finds the default 'opencart' row (4.0.2.3:I:230, install/opencart.sql:932)"))
    return tuple(out)


def taken_code(code: str, release: str) -> Refusal | None:
    """Why ``code`` cannot be installed on ``release`` because the store already uses it:
    ``opencart`` (the default package, refused at upload) and, on 4.1, ``ocmod`` (``extension/ocmod/``
    ships with the release, so page 1 of ``install()`` stops: 4.1.0.4:I:401-403)."""
    _known(release)
    if code == "opencart":
        return Refusal("installed", MESSAGES["installed"], "4.0.2.3:I:230 getInstallByCode()")
    if code == "ocmod" and _at_least(release, "4.1.0.0"):
        return Refusal("directory-exists", MESSAGES["directory_exists"].format(code=code), "install(): is_dir(DIR_EXTENSION . 'ocmod/') on page 1 (4.1.0.4:I:401-403)")
    return None


_CODE_RE = re.compile(r"[a-z][a-z0-9_]*")


def code_problems(code: str) -> tuple[str, ...]:
    """What makes ``code`` unusable as a 4.x extension code (empty when it is fine): it becomes
    the folder ``extension/CODE/``, the namespace segment (``ucwords`` on ``_``, underscores
    removed, SEA:21) and the route prefix ``extension/CODE/`` (sanitised to ``[a-zA-Z0-9_|/.]``,
    4.1.0.4:L:71; F:39 drops ``.`` and ``|`` too)."""
    problems = []
    if "." in code:
        problems.append("'.' is the route method separator and cannot stand in a namespace")
    bad = sorted({c for c in code if not (c.isascii() and (c.isalnum() or c == "_")) and c != "."})
    if bad:
        verb = "is" if len(bad) == 1 else "are"
        problems.append(f"{' '.join(repr(c) for c in bad)} {verb} removed from routes by OpenCart's sanitiser and {verb} not allowed in a namespace")
    if code[:1].isdigit():
        problems.append("a namespace segment cannot start with a digit")
    if any(c.isupper() for c in code):
        problems.append("upper case: OpenCart finds codes case-insensitively in the database but extension/CODE/ is case-sensitive on Linux")
    if "__" in code:
        problems.append(f"'__' maps to the same namespace segment as one '_' ({namespace_segment(code)} is also {namespace_segment(re.sub('_+', '_', code))})")
    if code.startswith("_") or code.endswith("_"):
        problems.append("a leading or trailing '_' disappears from the namespace segment")
    if not code:
        problems.append("the code is empty")
    if not problems and not _CODE_RE.fullmatch(code):
        problems.append("use lower-case letters, digits and '_' only, starting with a letter")
    return tuple(problems)


# --------------------------------------------------------------------------- install.json (§1.3)


class _Invalid(ValueError):
    pass


def _no_constants(name: str) -> Any:
    raise _Invalid(f"{name} is not JSON")


def _nesting(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON text (strings skipped), without recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if any(0xD800 <= ord(c) <= 0xDFFF for c in item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def decode_install_json(data: bytes) -> tuple[Any, str, int]:
    """PHP ``json_decode($data, true)``: (value, "", 0), or (None, why, line) where PHP returns
    NULL. Stricter than Python's ``json``: a UTF-8 BOM, ``NaN``/``Infinity``, invalid UTF-8, a lone
    UTF-16 surrogate escape and nesting 512 deep all give NULL in PHP 8.2 [run]."""
    if data.startswith(b"\xef\xbb\xbf"):
        return None, "starts with a UTF-8 byte order mark (BOM)", 1
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, "is not valid UTF-8", data[: exc.start].count(b"\n") + 1
    if not text.strip():
        return None, "is empty", 1
    if _nesting(text) > 511:
        return None, "is nested deeper than PHP's limit (json_decode's depth 512)", 1
    try:
        value = json.loads(text, parse_constant=_no_constants)
    except _Invalid as exc:
        return None, str(exc), 1
    except json.JSONDecodeError as exc:
        before = text[: exc.pos].rstrip()
        if before.endswith(",") and text[exc.pos : exc.pos + 1] in ("}", "]"):
            return None, "has a trailing comma", before.count("\n") + 1
        return None, f"is not valid JSON ({exc.msg})", exc.lineno
    except RecursionError:
        return None, "is nested too deeply", 1
    if _has_lone_surrogate(value):
        return None, "holds a lone UTF-16 surrogate escape", 1
    return value, "", 0


@dataclass(frozen=True)
class InstallJsonOutcome:
    """What ``upload()`` makes of install.json: accepted or not, the message OpenCart shows, and
    whether PHP stops with an error or emits warnings (which corrupt the JSON answer)."""

    accepted: bool
    message: str = ""
    fatal: bool = False
    warnings: tuple[str, ...] = ()
    folder_mode: bool = False  # 4.0.0.0 looks for FOLDER/install.json instead


REQUIRED_40 = ("name", "version", "author", "link")  # 4.0.1.0–4.0.2.3 (4.0.2.3:I:247-262)
KEYS_41 = ("extension_id", "extension_download_id", "name", "description", "code", "version", "author", "link")  # 4.1.0.4:I:313-328


def install_json_outcome(data: bytes | None, release: str, *, folders: Sequence[str] = ()) -> InstallJsonOutcome:
    """``upload()``'s verdict on the root install.json (``data`` None when absent) on ``release``.

    ``json_decode(getFromName('install.json'), true)`` must be truthy (4.0.2.3:I:245, 4.1.0.4:I:310).
    4.0.0.0 then reads any keys ("unknown" for missing ones, :199-204) and, when the root file is
    missing or falsy, takes each ``FOLDER/install.json`` (``folders``) as a separate extension
    (:214-252), "Zip file could not be opened!" when there is none. 4.0.1.0–4.0.2.3 require
    ``name``, ``version``, ``author``, ``link`` truthy; a missing key is a PHP warning first.
    4.1 defaults every key to ``''`` and accepts any non-empty object or list; a scalar is a
    PHP Error (fact check W3).
    """
    _known(release)
    value, _why, _line = decode_install_json(data) if data is not None else (None, "missing", 0)
    if not php_truthy(value):
        if release == "4.0.0.0":
            if folders:
                return InstallJsonOutcome(True, folder_mode=True)
            return InstallJsonOutcome(False, MESSAGES["unzip"])
        return InstallJsonOutcome(False, MESSAGES["install"])
    if release == "4.0.0.0":
        return InstallJsonOutcome(True)
    if not _at_least(release, "4.1.0.0"):
        if isinstance(value, str):
            return InstallJsonOutcome(False, "Cannot access offset of type string on string", fatal=True)
        warnings: list[str] = []
        message = ""
        for key in REQUIRED_40:
            if isinstance(value, dict) and key in value:
                item = value[key]
            else:
                warnings.append(f"Undefined array key \"{key}\"" if isinstance(value, (dict, list)) else f"Trying to access array offset on value of type {type(value).__name__}")
                item = None
            if not php_truthy(item):
                message = MESSAGES[key]
        return InstallJsonOutcome(not message, message, warnings=tuple(warnings))
    if isinstance(value, str):
        return InstallJsonOutcome(False, "Cannot access offset of type string on string", fatal=True)
    if not isinstance(value, (dict, list)):
        return InstallJsonOutcome(False, "Cannot use a scalar value as an array", fatal=True)
    return InstallJsonOutcome(True)


# --------------------------------------------------------------------------- extraction (§1.4)


@dataclass(frozen=True)
class Placement:
    """Where one zip entry goes.

    ``kind``: ``extension`` (``extension/CODE/…``), ``image`` (the store's ``image/``),
    ``storage`` (``DIR_STORAGE``, shown as its default ``system/storage/``) or ``skipped``.
    ``target`` is the destination relative to the store root after ``..`` is resolved (a leading
    ``../`` = outside the store); ``recorded`` the ``extension_path.path`` row; ``escapes`` is set
    when the file is written outside the folder its prefix chose (zip slip, ≤ 4.1.0.3).
    """

    entry: str
    kind: str
    code: str = ""
    target: str = ""
    recorded: str = ""
    reason: str = ""
    escapes: bool = False


def _normal(path: str) -> str:
    out = posixpath.normpath(path)
    return "" if out == "." else out


def place(entry: str, code: str, release: str) -> Placement:
    """Where ``install()`` of ``release`` writes zip entry ``entry`` for extension ``code``
    (4.1.0.4:I:424-481; 4.0.2.3:I:353-400; 4.0.0.0:I:326-366).

    ``\\`` becomes ``/``; 4.1.0.4 skips names with a ``..`` segment (:430-432); 4.1.x skips
    ``ocmod/…`` (:440-442); ``image/…`` goes to the store's image folder (:445-448);
    ``system/storage/…`` to ``DIR_STORAGE`` (:451-455; 4.0.0.0 only ``system/storage/vendor/…``,
    recorded as ``vendor/…``); everything else to ``extension/CODE/<entry>`` (:435-437). Names
    ending in ``/`` are not copied (``$source`` tested, :476; ``$path`` in 4.0.0.0).
    """
    _known(release)
    destination = entry.replace("\\", "/")
    if release == "4.1.0.4" and ".." in destination.split("/"):
        return Placement(entry, "skipped", code, reason="a '..' segment (4.1.0.4 skips it)")
    if _at_least(release, "4.1.0.0") and destination[:6] == "ocmod/":
        return Placement(entry, "skipped", code, reason="ocmod/ is read by the xml() step, not copied")
    path, base, prefix, kind = f"{code}/{destination}", "extension/", "", "extension"
    meant = f"extension/{code}/"
    if destination[:6] == "image/":
        path, base, kind, meant = destination, "", "image", "image/"
    if release == "4.0.0.0":
        if destination[:22] == "system/storage/vendor/":
            path, base, kind, meant = destination[15:], "system/storage/", "storage", "system/storage/vendor/"
    elif destination[:15] == "system/storage/":
        path, base, prefix, kind, meant = destination[15:], "system/storage/", "system/storage/", "storage", "system/storage/"
    is_dir = (path if release == "4.0.0.0" else entry).endswith("/")
    if is_dir:
        return Placement(entry, "skipped", code, reason="a directory entry (folders are created for the files in them)")
    if release != "4.0.0.0" and destination.endswith("/"):
        return Placement(entry, "skipped", code, reason="the name ends with a separator: writing it fails")
    target = _normal(base + path)
    escapes = not (target + "/").startswith(meant) or target.startswith("../")
    return Placement(entry, kind, code, target, prefix + path, escapes=escapes)


@dataclass(frozen=True)
class InstallPlan:
    """Every entry's placement for one upload, and what follows from them."""

    release: str
    codes: tuple[str, ...]
    placements: tuple[Placement, ...]
    collisions: tuple[Placement, ...] = ()  # targets that exist in the store: silently not written (:477)

    @property
    def written(self) -> tuple[Placement, ...]:
        """Entries that are written (collisions excluded)."""
        return tuple(p for p in self.placements if p.kind != "skipped" and p not in self.collisions)

    @property
    def escaping(self) -> tuple[Placement, ...]:
        """Entries written outside the folder they were meant for (zip slip)."""
        return tuple(p for p in self.placements if p.escapes)

    @property
    def long_paths(self) -> tuple[Placement, ...]:
        """Entries whose ``extension_path.path`` is longer than its varchar(255) column."""
        return tuple(p for p in self.placements if len(p.recorded) > PATH_COLUMN)


_ANY_INSTALL_JSON = b'{"name": "x"}'


def install_plan(entries: Iterable[str], code: str, release: str, *, install_json: bytes | None = _ANY_INSTALL_JSON, core: Collection[str] = ()) -> InstallPlan:
    """Every entry's placement when ``code``'s zip is installed on ``release``.

    ``entries`` in central-directory order; ``install_json`` the root file (None when absent),
    used only by 4.0.0.0's folder mode (4.0.0.0:I:369-419): each ``FOLDER/install.json`` makes
    ``FOLDER`` an extension and its entries go to ``extension/FOLDER/…`` — the image/vendor
    tests there compare ``substr(…, $n, $n + 6)`` (a length, not an end), so those files stay
    inside the extension folder. ``core`` holds store-relative paths that already exist
    (``image/…``, ``system/storage/…``): such targets are skipped silently, unrecorded (:477).
    """
    _known(release)
    names = list(entries)
    if release == "4.0.0.0" and not php_truthy(decode_install_json(install_json)[0] if install_json is not None else None):
        folders = sorted({n.replace("\\", "/").split("/")[0] for n in names if len(n.split("/")) > 1 and n.split("/")[1] == "install.json"})
        placements = []
        for name in names:
            destination = name.replace("\\", "/")
            folder = next((f for f in folders if destination.startswith(f + "/")), None)
            if folder is None:
                placements.append(Placement(name, "skipped", reason="4.0.0.0 folder mode copies only entries inside a FOLDER/ with its own install.json"))
            elif destination.endswith("/"):
                placements.append(Placement(name, "skipped", folder, reason="a directory entry (folders are created for the files in them)"))
            else:
                target = _normal("extension/" + destination)
                placements.append(Placement(name, "extension", folder, target, destination, escapes=not target.startswith(f"extension/{folder}/")))
        return InstallPlan(release, tuple(folders), tuple(placements))
    placements = [place(name, code, release) for name in names]
    existing = set(core)
    collisions = tuple(p for p in placements if p.kind in ("image", "storage") and p.target in existing)
    return InstallPlan(release, (code,), tuple(placements), collisions)


def install_pages(total: int, release: str) -> int:
    """How many ``install()`` requests extract ``total`` entries: 200 per page; 4.0.0.0 asks for
    another page while ``page * 200 <= total`` (4.0.0.0:I:441), later ones while ``end < total``
    (4.1.0.4:I:418, :492)."""
    _known(release)
    if release == "4.0.0.0":
        return total // PAGE + 1
    return max(1, math.ceil(total / PAGE))


def after_steps(release: str) -> tuple[str, ...]:
    """The installer steps after extraction: 4.0.x ``vendor`` (4.0.2.3:I:422), 4.1.0.0–4.1.0.3
    ``xml`` then ``vendor`` (4.1.0.0:I:454,590), 4.1.0.4 ``xml`` only (4.1.0.4:I:503)."""
    _known(release)
    if not _at_least(release, "4.1.0.0"):
        return ("vendor",)
    return ("xml",) if release == "4.1.0.4" else ("xml", "vendor")


def vendor_autoloaded(release: str) -> bool:
    """Are libraries under ``system/storage/vendor/*/*/composer.json`` registered after install?
    Not on 4.1.0.4: no vendor step, only ``DIR_STORAGE/vendor/autoload.php`` (4.1.0.4:FW:12-14)."""
    return "vendor" in after_steps(release)


# --------------------------------------------------------------------------- types (§3.4)

TYPES = ("analytics", "captcha", "currency", "dashboard", "feed", "fraud", "module", "other", "payment", "report", "shipping", "theme", "total")


def extension_types(release: str) -> tuple[str, ...]:
    """Extension types of ``release`` (``admin/controller/extension/*.php``): 13 in 4.0.0.0,
    + ``language`` from 4.0.1.0, + ``marketplace`` from 4.0.2.3."""
    _known(release)
    out = list(TYPES)
    if _at_least(release, "4.0.1.0"):
        out.append("language")
    if _at_least(release, "4.0.2.3"):
        out.append("marketplace")
    return tuple(sorted(out))


# --------------------------------------------------------------------------- runtime identity (§3.1, §3.2)


def namespace_segment(code: str) -> str:
    """The namespace segment of a code: ``str_replace(['_', '/'], ['', '\\\\'], ucwords($code, '_/'))``
    (4.1.0.4:SEA:21): ``my_ext`` → ``MyExt``."""
    return ucwords(code, "_/").replace("_", "").replace("/", "\\")


def route_class(route: str) -> str:
    """The class part Factory builds for a route (4.1.0.4:F:39-42):
    ``preg_replace('/[^a-zA-Z0-9_\\/]/', '', $route)`` then
    ``str_replace(['_', '/'], ['', '\\\\'], ucwords($route, '_/'))``."""
    route = re.sub(r"[^a-zA-Z0-9_/]", "", route)
    return ucwords(route, "_/").replace("_", "").replace("/", "\\")


def class_file(remainder: str) -> str:
    """The file the Autoloader includes for the part of a class name below its registered
    namespace (4.1.0.4:AL:78, 4.0.2.3:AL:66):
    ``trim(str_replace('\\\\', '/', strtolower(preg_replace('~([a-z])([A-Z]|[0-9])~', '\\1_\\2', $rest))), '/') . '.php'``."""
    return re.sub(r"([a-z])([A-Z]|[0-9])", r"\1_\2", remainder).lower().replace("\\", "/").strip("/") + ".php"


@dataclass(frozen=True)
class ExpectedClass:
    """The class OpenCart looks for in a package file, and the file its autoloader would include."""

    namespace: str  # e.g. Opencart\Admin\Controller\Extension\MyExt\Module
    name: str  # e.g. FooBar
    autoload_file: str  # package path the autoloader includes for that class
    route: str = ""  # extension/my_ext/module/foo_bar ("" for libraries)

    @property
    def fqcn(self) -> str:
        return f"{self.namespace}\\{self.name}"

    @property
    def round_trip(self) -> bool:
        """Does the autoloader find this very file again?"""
        return self.autoload_file == self.source

    source: str = ""  # the package path it was computed for


_APP_RE = re.compile(r"(admin|catalog)/(controller|model)/(.+)\.php")


def expected_class(path: str, code: str, release: str = "4.1.0.4") -> ExpectedClass | None:
    """The class and autoload file for a package path: controllers and models (route
    ``extension/CODE/<rest>``, F:42; namespace registered per code, SEA:24-26) and
    ``system/library/…`` (4.0.1.0+: ``Opencart\\System\\Library\\Extension\\<Code>`` →
    ``system/library/``, 4.0.2.3:SEA:24; 4.0.0.0: ``Opencart\\System\\Extension\\<Code>`` →
    ``system/``, 4.0.0.0:SEA:16). None for any other path."""
    segment = namespace_segment(code)
    m = _APP_RE.fullmatch(path)
    if m:
        app, kind, rest = m.group(1).capitalize(), m.group(2).capitalize(), m.group(3)
        route = f"extension/{code}/{rest}"
        full = route_class(route)
        prefix = f"Extension\\{segment}"
        below = full[len(prefix) :] if full.startswith(prefix + "\\") else None
        autoload = f"{m.group(1)}/{m.group(2)}/{class_file(below)}" if below is not None else ""
        namespace, _, name = f"Opencart\\{app}\\{kind}\\{full}".rpartition("\\")
        return ExpectedClass(namespace, name, autoload, route, path)
    if path.startswith("system/library/") and path.endswith(".php"):
        rest = path[len("system/library/") : -4]
        if _at_least(release, "4.0.1.0"):
            base, folder, below = f"Opencart\\System\\Library\\Extension\\{segment}", "system/library/", route_class(rest)
        else:
            base, folder, below = f"Opencart\\System\\Extension\\{segment}", "system/", route_class("library/" + rest)
        namespace, _, name = f"{base}\\{below}".rpartition("\\")
        return ExpectedClass(namespace, name, folder + class_file(below), "", path)
    return None
