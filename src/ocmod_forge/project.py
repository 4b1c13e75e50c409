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
from .versions import GENERATIONS, Target, parse_range

PROJECT_FILE = "ocmod-forge.yaml"
MAX_PROJECT_BYTES = 1_000_000  # a project file is a few KB; anything bigger is a mistake or an attack

CODE_RE = re.compile(r"[a-z0-9_]+")
# OpenCart stores version in varchar(32); accept 1 to 4 numeric parts plus an optional pre-release tag.
VERSION_RE = re.compile(r"\d+(\.\d+){0,3}(-[0-9A-Za-z][0-9A-Za-z.]*)?")
KNOWN_TARGETS = GENERATIONS
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
    lines: tuple[tuple[str, str, int], ...] = field(default=(), compare=False)  # (key, selector, line)


@dataclass(frozen=True)
class Project:
    """A loaded, validated project. Paths are absolute."""

    path: Path
    identity: Identity
    targets: tuple[Target, ...]
    stem: str
    templates: Path
    sql: Path
    output: Path
    marketplaces: tuple[Marketplace, ...] = ()
    variables: dict[str, Any] = field(default_factory=dict, hash=False)
    lint: LintSettings = field(default_factory=LintSettings)
    releases: tuple[str, ...] = ()  # OpenCart releases to check against: cache names (3.0.3.8) or paths
    php: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)  # generation ("*": all) → PHP versions to compile with

    def php_for(self, generation: str) -> tuple[str, ...]:
        """The PHP versions a target's PHP files must compile with (the lowest and highest named)."""
        return self.php.get(generation, self.php.get("*", ()))

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def target(self) -> str:
        """The first target's generation (projects with one target)."""
        return self.targets[0].generation

    def zip_name_for(self, target: Target | str) -> str:
        """3.0: ``<stem>.ocmod.zip``; 4.x: ``<code>.ocmod.zip`` (4.x derives the extension's folder,
        namespace and routes from the file name, so it cannot carry a version)."""
        generation = target.generation if isinstance(target, Target) else target
        return f"{self.stem}.ocmod.zip" if generation == "3.0" else f"{self.identity.code}.ocmod.zip"

    def output_for(self, target: Target | str) -> Path:
        """3.0 packages go to ``package.output``; 4.x ones to ``<output>/opencart-<generation>/``."""
        generation = target.generation if isinstance(target, Target) else target
        return self.output if generation == "3.0" else self.output / f"opencart-{generation}"

    def target_for(self, generation: str) -> Target:
        for t in self.targets:
            if t.generation == generation:
                return t
        raise KeyError(generation)

    @property
    def zip_name(self) -> str:
        return self.zip_name_for(self.targets[0])

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
        self.nodes: dict[str, yaml.Node] = {}  # dotted key → its value node, for later checks
        self.selector_lines: list[tuple[str, str, int]] = []  # (key, selector, line)

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
        """A list of rule selectors, each remembered with its line so a selector that matches no
        rule can be reported there (a typo in ``select`` would otherwise run no rule at all)."""
        values = self.string_list(node, where)
        items = [node] if isinstance(node, yaml.ScalarNode) else list(node.value) if isinstance(node, yaml.SequenceNode) else []
        for item, value in zip(items, values, strict=False):
            self.selector_lines.append((where, value, item.start_mark.line + 1))
        return values

    def php(self, node: yaml.Node, where: str) -> dict[str, tuple[str, ...]]:
        """``"7.4 - 8.2"`` (every target) or generation → range (``{"3.0": "7.4 - 8.2", "4.1": "8.1 - 8.4"}``);
        a range is checked at its two ends."""
        ranges: list[tuple[yaml.Node, str, str]] = []
        if isinstance(node, yaml.MappingNode):
            for generation, (_key, value_node) in self.mapping(node, where, KNOWN_TARGETS).items():
                ranges.append((value_node, generation, self.string(value_node, f"{where}.{generation}")))
        else:
            ranges.append((node, "*", self.string(node, where)))
        out: dict[str, tuple[str, ...]] = {}
        for item, generation, text in ranges:
            low, _, high = (part.strip() for part in text.partition("-"))
            versions = tuple(dict.fromkeys(v for v in (low, high or low) if v))
            bad = [v for v in versions if not re.fullmatch(r"\d+\.\d+", v)]
            if not versions or bad:
                self.problem(item, f"{where}: {text!r} is not a PHP version or range like \"7.4 - 8.2\"")
                continue
            out[generation] = versions
        return out

    def targets(self, node: yaml.Node, where: str) -> tuple[Target, ...]:
        """``["3.0", "4.1"]`` (every release of each), or a mapping from generation to a range of
        releases (``"4.0": "4.0.2.0 - 4.0.2.3"``, ``"4.0.2.0+"``, ``""`` for all)."""
        items: list[tuple[yaml.Node, str, str]] = []
        if isinstance(node, yaml.MappingNode):
            for key_node, (_, value_node) in self.mapping(node, where, None).items():
                items.append((value_node, key_node, self.string(value_node, f"{where}.{key_node}") if not _is_null(value_node) else ""))
        else:
            values = self.string_list(node, where)
            nodes = list(node.value) if isinstance(node, yaml.SequenceNode) else [node]
            items = [(n, v, "") for n, v in zip(nodes, values, strict=False)]
        out: list[Target] = []
        for item_node, generation, text in items:
            generation = str(generation).strip()
            if generation not in KNOWN_TARGETS:
                self.problem(item_node, f"{where}: {generation!r} is not an OpenCart generation (known: {', '.join(KNOWN_TARGETS)})")
                continue
            if any(t.generation == generation for t in out):
                self.problem(item_node, f"{where}: {generation!r} is given twice")
                continue
            try:
                out.append(parse_range(generation, text))
            except ValueError as exc:
                self.problem(item_node, f"{where}.{generation}: {exc}")
        if not out and not self.problems:
            self.problem(node, f"{where} must name at least one of {', '.join(KNOWN_TARGETS)}")
        return tuple(sorted(out, key=lambda t: GENERATIONS.index(t.generation)))

    def section(self, node: yaml.Node, where: str, keys: tuple[Key, ...]) -> dict[str, Any]:
        """Read a mapping by its schema: every value typed and checked, problems at their lines."""
        entries = self.mapping(node, where, tuple(k.name for k in keys))
        values: dict[str, Any] = {}
        for key in keys:
            dotted = key.name if where == "project file" else f"{where}.{key.name}"
            if key.name not in entries:
                if key.required:
                    if where == "project file":
                        self.problem(node, f"missing required section {key.name!r}")
                    else:
                        self.problem(self.nodes.get(where + ":key", node), f"{dotted} is required")
                continue
            key_node, value_node = entries[key.name]
            self.nodes[dotted] = value_node
            self.nodes[dotted + ":key"] = key_node
            value = self.value(key, value_node, dotted)
            if value is not None:
                values[key.name] = value
        return values

    def value(self, key: Key, node: yaml.Node, where: str) -> Any:
        if key.kind == "section":
            return self.section(node, where, key.keys)
        if key.kind == "map":
            out: dict[str, Any] = {}
            for name, (key_node, value_node) in self.mapping(node, where, None).items():
                item = f"{where}.{name}"
                if not CODE_RE.fullmatch(name):
                    self.problem(key_node, f"{item}: marketplace code must match [a-z0-9_]+")
                if isinstance(value_node, yaml.ScalarNode) and value_node.tag == "tag:yaml.org,2002:bool":
                    out[name] = {"enabled": self.boolean(value_node, item)}
                    continue
                self.nodes[item + ":key"] = key_node
                out[name] = self.section(value_node, item, key.keys)
            return out
        if key.kind == "bool":
            return self.boolean(node, where)
        if key.kind == "list":
            return self.string_list(node, where)
        if key.kind == "targets":
            return self.targets(node, where)
        if key.kind == "php":
            return self.php(node, where)
        if key.kind == "selectors":
            return self.selectors(node, where)
        if key.kind == "plain":
            value = self.plain(node, where)
            if not isinstance(value, dict):
                self.problem(node, f"{where} must be a mapping")
                return {}
            return value
        text = self.string(node, where, allow_empty=not (key.required or key.non_empty)).strip()
        problem = key.problem(text, where)
        if problem:
            self.problem(node, problem)
        return text

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


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


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
            line = event.start_mark.line + 1 if event.start_mark is not None else None
            if isinstance(event, yaml.AliasEvent):
                raise ProjectError("YAML aliases (*name) are not allowed in a project file", display, line)
            tag = getattr(event, "tag", None)
            if tag and tag not in _PLAIN_TAGS:
                raise ProjectError(f"YAML tag {tag!r} is not allowed in a project file", display, line)
        return yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise ProjectError(f"malformed YAML: {problem}", display, line) from None
    except yaml.YAMLError as exc:
        raise ProjectError(f"malformed YAML: {exc}", display) from None


# --------------------------------------------------------------------------- the schema

# A check returns what is wrong with a value (completing "<key> <value!r> …"), or None.
Check = Callable[[str], "str | None"]


def _matches(pattern: re.Pattern[str], message: str) -> Check:
    return lambda value: None if pattern.fullmatch(value) else message


def _version(value: str) -> str | None:
    return None if VERSION_RE.fullmatch(value) and len(value) <= 32 else "is not a version like 1.0.0 (at most 32 characters)"


def _known_target(value: str) -> str | None:
    return None if value in KNOWN_TARGETS else f"is unknown (known: {', '.join(KNOWN_TARGETS)})"


def _is_url(value: str) -> str | None:
    return None if re.match(r"https?://[^\s]+$", value) else "must be an http(s) URL"


@dataclass(frozen=True)
class Key:
    """One key of the project file: its type, whether it is required, and how it is checked.

    ``kind``: ``str``, ``bool``, ``selectors`` (a list of rule selectors), ``plain`` (free-form
    data), ``section`` (a mapping of ``keys``) or ``map`` (a mapping of user-named entries, each a
    section of ``keys``; a boolean entry is short for ``enabled``). ``limit`` is the most
    characters OpenCart keeps (``limit_note`` says what happens beyond it).
    """

    name: str
    kind: str = "str"
    required: bool = False
    check: Check | None = None
    limit: int | None = None
    limit_note: str = "OpenCart truncates it"
    choices: tuple[str, ...] = ()
    keys: tuple[Key, ...] = ()
    non_empty: bool = False

    def problem(self, value: str, where: str) -> str | None:
        """What is wrong with a string value of this key (the message ``load_project`` gives), or None."""
        if self.check is not None and value:
            message = self.check(value)
            if message:
                return f"{where} {value!r} {message}"
        if self.limit is not None and len(value) > self.limit:
            return f"{where} is longer than {self.limit} characters ({self.limit_note})"
        if self.choices and value not in self.choices:
            return f"{where} {value!r} must be one of {', '.join(self.choices)}"
        return None


# The identity, also used by `import` to judge the values it reads from an install.xml.
IDENTITY: tuple[Key, ...] = (
    Key("name", required=True, limit=64),
    Key("code", required=True, limit=64, limit_note="OpenCart's column size",
        check=_matches(CODE_RE, "must match [a-z0-9_]+ (lowercase letters, digits, underscore)")),
    Key("version", required=True, limit=32, check=_version),
    Key("author", limit=64),
    Key("link", limit=255, check=_is_url),
    Key("description"),
)

SCHEMA: tuple[Key, ...] = (
    Key("extension", "section", required=True, keys=IDENTITY),
    Key("opencart", "section", keys=(Key("target", check=_known_target), Key("targets", "targets"), Key("releases", "list"))),
    Key("package", "section", keys=(Key("stem", non_empty=True), Key("templates", non_empty=True), Key("sql", non_empty=True), Key("output", non_empty=True))),
    Key("marketplaces", "map", keys=(Key("label", non_empty=True), Key("enabled", "bool"), Key("notice"), Key("settings", "plain"))),
    Key("php", "php"),
    Key("vars", "plain"),
    Key("lint", "section", keys=(Key("fail_on", choices=SEVERITIES), Key("select", "selectors"), Key("ignore", "selectors"))),
)


# --------------------------------------------------------------------------- loading


def load_project(path: Path | str) -> Project:
    """Load and validate a project file; raises ``ProjectError`` naming file and line.

    Rule selectors in ``lint:`` are kept with their lines (``LintSettings.lines``) but not
    checked against the rule registry here: ``ocmod_forge.api.load_project`` does that, so this
    module never imports the rules.
    """
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
    values = reader.section(root, "project file", SCHEMA)
    if not values and not reader.problems:
        reader.problem(root, "project file has no settings")
    project = _project(reader, root, values, path.resolve())
    if reader.problems:
        raise ProjectProblems(reader.problems)
    return project


def _project(r: _Reader, root: yaml.Node, values: dict[str, Any], path: Path) -> Project:
    """The ``Project`` for validated values; also checks what spans several keys (the stem)."""
    base = path.parent
    ext: dict[str, Any] = values.get("extension", {})
    identity = Identity(**{k.name: ext.get(k.name, "") for k in IDENTITY})
    opencart: dict[str, Any] = values.get("opencart", {})
    targets: tuple[Target, ...] = opencart.get("targets") or (Target.of(opencart.get("target", "3.0") if opencart.get("target") in KNOWN_TARGETS else "3.0"),)
    if "target" in opencart and "targets" in opencart:
        r.problem(r.nodes.get("opencart.target:key"), "opencart: give either target or targets, not both")
    pkg: dict[str, Any] = values.get("package", {})
    stem_node = r.nodes.get("package.stem", root)
    stem = str(pkg.get("stem", "{code}-v{version}")).strip()
    try:
        rendered_stem = stem.format(code=identity.code, version=identity.version, name=identity.name)
    except (KeyError, IndexError, ValueError) as exc:
        r.problem(stem_node, f"package.stem {stem!r}: bad placeholder {exc} (use {{code}}, {{version}}, {{name}})")
        rendered_stem = identity.code or "package"
    if rendered_stem and (not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", rendered_stem) or len(rendered_stem) > 118):
        r.problem(stem_node, f"package.stem gives {rendered_stem!r}: use letters, digits, '.', '_' and '-' (at most 118 characters)")
    marketplaces = tuple(
        Marketplace(
            code=code,
            label=entry.get("label", code),
            enabled=entry.get("enabled", True),
            notice=entry.get("notice", ""),
            settings=entry.get("settings", {}),
        )
        for code, entry in values.get("marketplaces", {}).items()
    )
    ln: dict[str, Any] = values.get("lint", {})
    lint = LintSettings(
        fail_on=ln.get("fail_on", "error"),
        select=tuple(ln.get("select", ())),
        ignore=tuple(ln.get("ignore", ())),
        lines=tuple(r.selector_lines),
    )
    return Project(
        path=path,
        identity=identity,
        targets=targets,
        stem=rendered_stem,
        templates=(base / pkg.get("templates", "templates")).resolve(),
        sql=(base / pkg.get("sql", "sql")).resolve(),
        output=(base / pkg.get("output", "dist")).resolve(),
        marketplaces=marketplaces,
        variables=values.get("vars", {}) if isinstance(values.get("vars"), dict) else {},
        lint=lint,
        releases=tuple(opencart.get("releases", ())),
        php=values.get("php", {}),
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
