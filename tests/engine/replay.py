"""Running the engine on a case of the corpus format, as tools/opencart-refresh runs OpenCart."""

from __future__ import annotations

import base64
from typing import Any

from ocmod_forge.engine import Fatal, apply, flags_for
from ocmod_forge.manifest import ManifestError, parse_manifest
from ocmod_forge.opencart import OpenCartTree

BASES = ("admin", "catalog", "extension", "system")


def engine_result(case: dict[str, Any], version: str) -> dict[str, Any]:
    """{"fatal", "files", "log"} for a case, as the harness writes OpenCart's; plus "exact"."""
    data = {key: text.encode("utf-8", "surrogateescape") for key, text in case["files"].items()}
    tree = OpenCartTree("case", version, sorted(data), data.__getitem__, BASES)
    manifests = []
    for index, xml in enumerate(case["mods"]):
        try:
            manifests.append(parse_manifest(xml.encode("utf-8"), f"m{index}.xml"))
        except ManifestError:
            return {"fatal": True, "files": {}, "log": "", "exact": True}  # PHP: property of null
    try:
        result = apply(manifests, tree, flags_for(version))
    except Fatal as exc:
        return {"fatal": True, "files": {}, "log": "", "exact": exc.exact}
    return {"fatal": False, "files": {key: json_text(text) for key, text in result.files.items()}, "log": result.log_text(), "exact": result.exact}


def json_text(text: str) -> str | dict[str, str]:
    """A file's text as the harness writes it: bytes that are not UTF-8 as base64."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return {"base64": base64.b64encode(text.encode("utf-8", "surrogateescape")).decode("ascii")}
    return text
