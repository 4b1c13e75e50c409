"""PHP patterns on Python's re: the translator agrees with PHP's PCRE or says it cannot.

generated/pcre.json.gz (pcre_differential.py) holds random patterns with PHP 8.2's verdict:
"invalid", or the matches of preg_match_all on a subject (byte offsets) and the result of
preg_replace with a replacement using references.
"""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

from ocmod_forge.engine.model import Unsupported
from ocmod_forge.engine.pcre import Invalid, compile_php, parse_replacement, replacer

DATA = json.loads(gzip.decompress((Path(__file__).parent / "generated" / "pcre.json.gz").read_bytes()))


def _offset(text: str | bytes, index: int, utf: bool) -> int:
    """A byte offset, as PHP reports it (str patterns work in characters)."""
    return len(text[:index].encode()) if utf and isinstance(text, str) else index


def test_translator_agrees_with_php() -> None:
    subject, replacement = DATA["subject"], DATA["replacement"]
    pieces = parse_replacement(replacement)
    mismatches = []
    unsupported = invalid = 0
    for pattern, php in DATA["cases"]:
        try:
            regex = compile_php(pattern)
        except Invalid:
            invalid += 1
            if php != "invalid":
                mismatches.append((pattern, "we refuse it, PHP compiles it"))
            continue
        except Unsupported:
            unsupported += 1
            continue
        if php == "invalid":
            mismatches.append((pattern, "PHP refuses it"))
            continue
        text = subject if regex.utf else subject.encode()
        found = list(regex.compiled.finditer(text))
        matches = [[_offset(subject, m.start(), regex.utf), _offset(m.group(0), len(m.group(0)), regex.utf)] for m in found]
        replaced = regex.compiled.sub(replacer(pieces, regex.utf), text)
        replaced_bytes = replaced.encode() if regex.utf else replaced
        if matches != php["matches"] or replaced_bytes != base64.b64decode(php["replaced"]):
            mismatches.append((pattern, "different matches or replacement"))
    assert not mismatches, mismatches[:10]
    # the generator mixes in constructs known to be unsupported (\\G, \\K, (?|…), \\p)
    assert invalid > 1000 and len(DATA["cases"]) - invalid - unsupported > 4000
