"""Reading and validating ``ocmod-forge.yaml`` into frozen dataclasses.

The YAML is composed into nodes (never constructed with tags or aliases) so every value keeps
its line, every problem names ``file:line``, and alias bombs cannot expand.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ProjectError

PROJECT_FILE = "ocmod-forge.yaml"
MAX_PROJECT_BYTES = 1_000_000  # a project file is a few KB; anything bigger is a mistake or an attack

CODE_RE = re.compile(r"[a-z0-9_]+")
# OpenCart stores version in varchar(32); accept 1 to 4 numeric parts plus an optional pre-release tag.
VERSION_RE = re.compile(r"\d+(\.\d+){0,3}(-[0-9A-Za-z][0-9A-Za-z.]*)?")
SUPPORTED_TARGETS = ("3.0",)
KNOWN_TARGETS = ("3.0", "4.0", "4.1")
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Identity:
    """What install.xml and the package name say about the extension."""

    name: str
    code: str
    version: str
    author: str = ""
    link: str = ""
    description: str = ""


@dataclass(frozen=True)
class Marketplace:
    """One marketplace of the project; per-marketplace templates render for the enabled ones."""

    code: str
    label: str
    enabled: bool = True
    notice: str = ""
    settings: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class LintSettings:
    """Project-level defaults for ``--select``, ``--ignore`` and ``--fail-on``."""

    fail_on: str = "error"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class Project:
    """A loaded, validated project. Paths are absolute."""

    path: Path
    identity: Identity
    target: str
    stem: str
    templates: Path
    sql: Path
    output: Path
    marketplaces: tuple[Marketplace, ...] = ()
    variables: dict[str, Any] = field(default_factory=dict, hash=False)
    lint: LintSettings = field(default_factory=LintSettings)
    bundled: bool = False

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def zip_name(self) -> str:
        return f"{self.stem}.ocmod.zip"

    @property
    def enabled_marketplaces(self) -> tuple[Marketplace, ...]:
        return tuple(m for m in self.marketplaces if m.enabled)


class ProjectProblems(ProjectError):
    """Several problems found while validating one project file; ``problems`` has each one."""

    def __init__(self, problems: list[ProjectError]) -> None:
        first = problems[0]
        super().__init__(first.message, first.path, first.line)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


# --------------------------------------------------------------------------- YAML with lines


class _Reader:
    """Turns composed YAML nodes into plain values, collecting problems with their lines."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.display = str(path)
        self.problems: list[ProjectError] = []

    def problem(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(ProjectError(message, self.display, line))

    def mapping(
        self, node: yaml.Node, where: str, allowed: tuple[str, ...] | None
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Keys of a mapping node → (key node, value node); reports duplicates and unknown keys."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{where} must be a mapping, not {_kind(node)}")
            return {}
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, f"{where}: keys must be plain strings")
                continue
            key = key_node.value
            if key in out:
                self.problem(key_node, f"{where}: duplicate key {key!r}")
                continue
            if allowed is not None and key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                suggestion = f" (did you mean {hint[0]!r}?)" if hint else f" (allowed: {', '.join(allowed)})"
                self.problem(key_node, f"{where}: unknown key {key!r}{suggestion}")
                continue
            out[key] = (key_node, value_node)
        return out

    def string(self, node: yaml.Node, where: str, *, allow_empty: bool = True) -> str:
        # Numbers are accepted as their source text: `version: 3.1` means "3.1", not 3.1000001.
        if not isinstance(node, yaml.ScalarNode) or node.tag in (
            "tag:yaml.org,2002:null",
            "tag:yaml.org,2002:bool",
        ):
            self.problem(node, f"{where} must be a string, not {_kind(node)}")
            return ""
        value = str(node.value)
        if not allow_empty and not value.strip():
            self.problem(node, f"{where} must not be empty")
        return value

    def boolean(self, node: yaml.Node, where: str) -> bool:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
            return bool(yaml.safe_load(node.value))
        self.problem(node, f"{where} must be true or false, not {_kind(node)}")
        return False

    def string_list(self, node: yaml.Node, where: str) -> tuple[str, ...]:
        if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null":
            return (self.string(node, where),)
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{where} must be a list of strings, not {_kind(node)}")
            return ()
        return tuple(self.string(item, f"{where} item") for item in node.value)

    def selectors(self, node: yaml.Node, where: str) -> tuple[str, ...]:
        """A list of rule selectors; one that matches no rule is a problem at its own line, since
        a typo in ``select`` would otherwise silently run no rule at all."""
        values = self.string_list(node, where)
        items = [node] if isinstance(node, yaml.ScalarNode) else list(node.value) if isinstance(node, yaml.SequenceNode) else []
        if values:
            from .lint import selects_nothing  # the rule registry loads only for projects that select rules

            for item, value in zip(items, values, strict=False):
                if selects_nothing(value):
                    self.problem(item, f"{where}: {value!r} matches no rule code, prefix or name (see `ocmod-forge rules`)")
        return values

    def plain(self, node: yaml.Node, where: str, depth: int = 0) -> Any:
        """Free-form data (vars, settings): scalars, lists and mappings with string keys."""
        if depth > 20:
            self.problem(node, f"{where} is nested too deeply")
            return None
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:str":
                return node.value
            try:
                return yaml.safe_load(node.value) if node.value else None
            except yaml.YAMLError:
                return node.value
        if isinstance(node, yaml.SequenceNode):
            return [self.plain(item, where, depth + 1) for item in node.value]
        entries = self.mapping(node, where, None)
        return {key: self.plain(value, f"{where}.{key}", depth + 1) for key, (_, value) in entries.items()}


def _kind(node: yaml.Node | None) -> str:
    if node is None:
        return "nothing"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return {
        "tag:yaml.org,2002:null": "null",
        "tag:yaml.org,2002:bool": "a boolean",
        "tag:yaml.org,2002:int": "a number",
        "tag:yaml.org,2002:float": "a number",
    }.get(node.tag, f"{node.value!r}")


_PLAIN_TAGS = frozenset(
    ["!", "?"] + [f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")]
)


# libyaml's parser when PyYAML has it (about 10x faster); the same events, nodes and marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(path: Path, text: str) -> yaml.Node | None:
    """Compose YAML into nodes, refusing aliases and custom tags before anything expands."""
    display = str(path)
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.AliasEvent):
                raise ProjectError(
                    "YAML aliases (*name) are not allowed in a project file", display, event.start_mark.line + 1
                )
            tag = getattr(event, "tag", None)
            if tag and tag not in _PLAIN_TAGS:
                raise ProjectError(f"YAML tag {tag!r} is not allowed in a project file", display, event.start_mark.line + 1)
        return yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise ProjectError(f"malformed YAML: {problem}", display, line) from None
    except yaml.YAMLError as exc:
        raise ProjectError(f"malformed YAML: {exc}", display) from None


# --------------------------------------------------------------------------- loading

_TOP_KEYS = ("extension", "opencart", "package", "marketplaces", "vars", "lint")
_EXT_KEYS = ("name", "code", "version", "author", "link", "description")
_PACKAGE_KEYS = ("stem", "templates", "sql", "output")
_MARKET_KEYS = ("label", "enabled", "notice", "settings")
_LINT_KEYS = ("fail_on", "select", "ignore")


def load_project(path: Path | str, *, bundled: bool = False) -> Project:
    """Load and validate a project file; raises ``ProjectError`` naming file and line."""
    path = Path(path)
    display = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ProjectError("project file not found", display) from None
    except IsADirectoryError:
        raise ProjectError("is a directory, expected a project file", display) from None
    except OSError as exc:
        raise ProjectError(f"cannot read project file: {exc.strerror}", display) from None
    if len(raw) > MAX_PROJECT_BYTES:
        raise ProjectError(f"project file is {len(raw):,} bytes; the limit is {MAX_PROJECT_BYTES:,}", display)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ProjectError("project file is not valid UTF-8", display, line) from None
    root = _compose(path, text)
    reader = _Reader(path)
    if root is None:
        raise ProjectError("project file is empty", display, 1)
    project = _build(reader, root, path.resolve(), bundled)
    if reader.problems:
        raise ProjectProblems(reader.problems)
    assert project is not None
    return project


def _build(r: _Reader, root: yaml.Node, path: Path, bundled: bool) -> Project | None:
    top = r.mapping(root, "project file", _TOP_KEYS)
    if not top and not r.problems:
        r.problem(root, "project file has no settings")
    base = path.parent

    ext_node = top.get("extension")
    if ext_node is None:
        r.problem(root, "missing required section 'extension'")
        ext: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    else:
        ext = r.mapping(ext_node[1], "extension", _EXT_KEYS)

    def field_(key: str, required: bool, check: Callable[[str, yaml.Node], None] | None = None) -> str:
        entry = ext.get(key)
        if entry is None:
            if required and ext_node is not None:
                r.problem(ext_node[0], f"extension.{key} is required")
            return ""
        value = r.string(entry[1], f"extension.{key}", allow_empty=not required).strip()
        if check and value:
            check(value, entry[1])
        return value

    def check_code(value: str, node: yaml.Node) -> None:
        if not CODE_RE.fullmatch(value):
            r.problem(node, f"extension.code {value!r} must match [a-z0-9_]+ (lowercase letters, digits, underscore)")
        elif len(value) > 64:
            r.problem(node, "extension.code is longer than 64 characters (OpenCart's column size)")

    def check_version(value: str, node: yaml.Node) -> None:
        if not VERSION_RE.fullmatch(value) or len(value) > 32:
            r.problem(node, f"extension.version {value!r} is not a version like 1.0.0 (at most 32 characters)")

    def check_len(limit: int, key: str) -> Callable[[str, yaml.Node], None]:
        def check(value: str, node: yaml.Node) -> None:
            if len(value) > limit:
                r.problem(node, f"extension.{key} is longer than {limit} characters (OpenCart truncates it)")

        return check

    def check_link(value: str, node: yaml.Node) -> None:
        check_len(255, "link")(value, node)
        if not re.match(r"https?://[^\s]+$", value):
            r.problem(node, f"extension.link {value!r} must be an http(s) URL")

    identity = Identity(
        name=field_("name", True, check_len(64, "name")),
        code=field_("code", True, check_code),
        version=field_("version", True, check_version),
        author=field_("author", False, check_len(64, "author")),
        link=field_("link", False, check_link),
        description=field_("description", False),
    )

    target = "3.0"
    if "opencart" in top:
        oc = r.mapping(top["opencart"][1], "opencart", ("target",))
        if "target" in oc:
            node = oc["target"][1]
            target = r.string(node, "opencart.target").strip()
            if target not in KNOWN_TARGETS:
                r.problem(node, f"opencart.target {target!r} is unknown (known: {', '.join(KNOWN_TARGETS)})")
            elif target not in SUPPORTED_TARGETS:
                r.problem(node, f"opencart.target {target!r} is not supported yet (supported: {', '.join(SUPPORTED_TARGETS)})")

    pkg: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    if "package" in top:
        pkg = r.mapping(top["package"][1], "package", _PACKAGE_KEYS)

    def folder(key: str, default: str) -> Path:
        if key not in pkg:
            return (base / default).resolve()
        value = r.string(pkg[key][1], f"package.{key}", allow_empty=False)
        return (base / value).resolve()

    stem = "{code}-v{version}"
    if "stem" in pkg:
        node = pkg["stem"][1]
        stem = r.string(node, "package.stem", allow_empty=False).strip()
    try:
        rendered_stem = stem.format(code=identity.code, version=identity.version, name=identity.name)
    except (KeyError, IndexError, ValueError) as exc:
        r.problem(pkg["stem"][1] if "stem" in pkg else root, f"package.stem {stem!r}: bad placeholder {exc} (use {{code}}, {{version}}, {{name}})")
        rendered_stem = identity.code or "package"
    if rendered_stem and (not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", rendered_stem) or len(rendered_stem) > 118):
        r.problem(
            pkg["stem"][1] if "stem" in pkg else root,
            f"package.stem gives {rendered_stem!r}: use letters, digits, '.', '_' and '-' (at most 118 characters)",
        )

    marketplaces: list[Marketplace] = []
    if "marketplaces" in top:
        entries = r.mapping(top["marketplaces"][1], "marketplaces", None)
        for code, (key_node, value_node) in entries.items():
            where = f"marketplaces.{code}"
            if not CODE_RE.fullmatch(code):
                r.problem(key_node, f"{where}: marketplace code must match [a-z0-9_]+")
            if isinstance(value_node, yaml.ScalarNode) and value_node.tag == "tag:yaml.org,2002:bool":
                marketplaces.append(Marketplace(code=code, label=code, enabled=r.boolean(value_node, where)))
                continue
            m = r.mapping(value_node, where, _MARKET_KEYS)
            settings = r.plain(m["settings"][1], f"{where}.settings") if "settings" in m else {}
            if "settings" in m and not isinstance(settings, dict):
                r.problem(m["settings"][1], f"{where}.settings must be a mapping")
                settings = {}
            marketplaces.append(
                Marketplace(
                    code=code,
                    label=r.string(m["label"][1], f"{where}.label", allow_empty=False) if "label" in m else code,
                    enabled=r.boolean(m["enabled"][1], f"{where}.enabled") if "enabled" in m else True,
                    notice=r.string(m["notice"][1], f"{where}.notice") if "notice" in m else "",
                    settings=settings,
                )
            )

    variables: dict[str, Any] = {}
    if "vars" in top:
        value = r.plain(top["vars"][1], "vars")
        if isinstance(value, dict):
            variables = value
        else:
            r.problem(top["vars"][1], "vars must be a mapping")

    lint = LintSettings()
    if "lint" in top:
        ln = r.mapping(top["lint"][1], "lint", _LINT_KEYS)
        fail_on = "error"
        if "fail_on" in ln:
            fail_on = r.string(ln["fail_on"][1], "lint.fail_on").strip()
            if fail_on not in SEVERITIES:
                r.problem(ln["fail_on"][1], f"lint.fail_on {fail_on!r} must be one of {', '.join(SEVERITIES)}")
        lint = LintSettings(
            fail_on=fail_on,
            select=r.selectors(ln["select"][1], "lint.select") if "select" in ln else (),
            ignore=r.selectors(ln["ignore"][1], "lint.ignore") if "ignore" in ln else (),
        )

    return Project(
        path=path,
        identity=identity,
        target=target,
        stem=rendered_stem,
        templates=folder("templates", "templates"),
        sql=folder("sql", "sql"),
        output=folder("output", "dist"),
        marketplaces=tuple(marketplaces),
        variables=variables,
        lint=lint,
        bundled=bundled,
    )


def bundled_project_file() -> Path:
    """The MesChain-Sync Enterprise project that ships inside the wheel (or the source tree)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_bundled" / PROJECT_FILE, here.parent.parent / PROJECT_FILE):
        if candidate.is_file():
            return candidate
    raise ProjectError("the bundled MesChain project is missing from this installation", str(here / "_bundled"))


def find_project(start: Path | str | None) -> Path | None:
    """The project file for a path argument: the file itself, or ``ocmod-forge.yaml`` in a folder."""
    base = Path(start) if start is not None else Path.cwd()
    if base.is_file():
        return base
    candidate = base / PROJECT_FILE
    return candidate if candidate.is_file() else None
