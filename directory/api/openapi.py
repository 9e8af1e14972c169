"""The OpenAPI document: ``openapi.yaml`` plus the HSDS 3.0 object schemas as components."""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE.parent / "oruk" / "schemas"
HSDS_OBJECTS = (
    "accessibility",
    "address",
    "attribute",
    "contact",
    "cost_option",
    "funding",
    "language",
    "location",
    "meta_table_description",
    "metadata",
    "organization",
    "organization_identifier",
    "phone",
    "program",
    "required_document",
    "schedule",
    "service",
    "service_area",
    "service_at_location",
    "taxonomy",
    "taxonomy_term",
)
# JSON Schema keywords worth keeping from the HSDS files (the rest is data-package metadata).
KEEP = {"type", "format", "enum", "properties", "items", "required", "$ref", "description", "title"}


def _clean(node: Any) -> Any:
    """An HSDS schema node with validation keywords only and ``x.json`` refs pointing at components."""
    if isinstance(node, dict):
        found: dict[str, Any] = {}
        for key, value in node.items():
            if key == "properties":
                found[key] = {name: _clean(sub) for name, sub in value.items()}
            elif key == "$ref" and isinstance(value, str) and value.endswith(".json"):
                found[key] = f"#/components/schemas/{value[: -len('.json')]}"
            elif key in KEEP:
                found[key] = _clean(value)
        return found
    if isinstance(node, list):
        return [_clean(item) for item in node]
    return node


def hsds_components() -> dict[str, Any]:
    """Each HSDS 3.0 object schema, cleaned, by name."""
    return {
        name: _clean(json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8")))
        for name in HSDS_OBJECTS
    }


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((HERE / "openapi.yaml").read_text(encoding="utf-8"))
    document["components"]["schemas"] = hsds_components() | document["components"]["schemas"]
    return document


def openapi_document() -> dict[str, Any]:
    """The whole document (a copy: callers may change it)."""
    return copy.deepcopy(_document())
