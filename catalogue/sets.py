"""Set specs derived from a record's metadata, and the set hierarchy.

Derived sets let partners harvest a slice of the catalogue without an editor maintaining it:
`context:school`, `lrt:exercise`, `lang:nl`, `source:<partner>`. Each `a:b` spec is a child of `a`,
so harvesting `context` brings every record that names an educational context.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from metadata import lom

_ILLEGAL = re.compile(r"[^A-Za-z0-9\-_.!~*'()]+")

FAMILIES = {
    "context": ("Educational context", lom.contexts),
    "lrt": ("Learning resource type", lom.learning_resource_types),
}
"""Spec prefix → (human name, accessor returning vocabulary values)."""

FAMILY_NAMES = {
    **{prefix: name for prefix, (name, _) in FAMILIES.items()},
    "lang": "Language",
    "source": "Harvested from",
    "collection": "Collection",
}


def spec_part(value: str) -> str:
    """Turn a free value into one legal setSpec segment (OAI-PMH §2.7.1 characters only)."""
    return _ILLEGAL.sub("-", value.strip().lower()).strip("-") or "unknown"


def derive_specs(record: etree._Element, source: str | None = None) -> tuple[str, ...]:
    """Every set spec a LOM record belongs to by its metadata (leaf specs only, sorted)."""
    specs = {
        f"{prefix}:{spec_part(vocab.value)}"
        for prefix, (_, accessor) in FAMILIES.items()
        for vocab in accessor(record)
    }
    specs.update(f"lang:{spec_part(code.split('-')[0])}" for code in lom.languages(record))
    if source:
        specs.add(f"source:{spec_part(source)}")
    return tuple(sorted(specs))


EDITORIAL_PREFIX = "collection"
"""Editorial collections live under `collection:`, apart from every spec derived from metadata."""


def is_editorial(spec: str) -> bool:
    """True for an editor's collection (`collection:...`), which metadata changes never touch."""
    return spec.split(":", 1)[0] == EDITORIAL_PREFIX


def with_ancestors(specs: Iterable[str]) -> set[str]:
    """The specs plus every ancestor (`a:b:c` → `a:b`, `a`)."""
    result: set[str] = set()
    for spec in specs:
        parts = spec.split(":")
        result.update(":".join(parts[: i + 1]) for i in range(len(parts)))
    return result


def describe(spec: str) -> str:
    """A readable setName for a derived spec (`lrt:exercise` → `Learning resource type: exercise`)."""
    prefix, _, rest = spec.partition(":")
    family = FAMILY_NAMES.get(prefix, prefix)
    return f"{family}: {rest.replace('-', ' ')}" if rest else family
