"""JSON Schema validators for HSDS 3.0 (the copies the product ships) and the Open Referral UK profile."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parent.parent
HSDS_SCHEMAS = ROOT / "directory" / "oruk" / "schemas"
ORUK_SCHEMAS = ROOT / "tests" / "data" / "oruk3" / "schema"
DATA = ROOT / "tests" / "data"


@cache
def _registry(folder: Path, base: str) -> Registry:
    resources = []
    for path in folder.glob("*.json"):
        if path.name == "datapackage.json":
            continue
        contents = json.loads(path.read_text(encoding="utf-8"))
        contents["$id"] = base + path.name
        resources.append(
            (base + path.name, Resource.from_contents(contents, default_specification=DRAFT202012))
        )
    return Registry().with_resources(resources)


def _validator(folder: Path, base: str, name: str) -> Draft202012Validator:
    registry = _registry(folder, base)
    schema = registry.contents(base + f"{name}.json")
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def hsds(name: str) -> Draft202012Validator:
    """Validator for an HSDS 3.0 object (``service``, ``organization``, ``taxonomy_term``...)."""
    return _validator(HSDS_SCHEMAS, "https://hsds.test/schema/", name)


def oruk(name: str) -> Draft202012Validator:
    """Validator for an Open Referral UK 3.0 profile object."""
    return _validator(ORUK_SCHEMAS, "https://oruk.test/schema/", name)


def errors(validator: Draft202012Validator, instance: object) -> list[str]:
    """Every validation error, as readable lines (empty when valid)."""
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]
