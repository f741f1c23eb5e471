"""LOM records of the shared corpus, found the way validators find them inside any document.

Collected at import time so tests can be parametrized by file (a failure then names the record);
the corpus is read through a path relative to the checkout, as every test reads it.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lxml import etree

from metadata import xmlsafe
from metadata.errors import MetadataError
from tests.conftest import CORPUS


def corpus_files() -> list[Path]:
    """Every XML file of the corpus, sorted, so parametrized ids are stable."""
    return sorted(CORPUS.rglob("*.xml")) if CORPUS.is_dir() else []


def records_in(path: Path, is_root: Callable[[etree._Element], bool]) -> list[etree._Element]:
    """Elements of one file for which `is_root` holds, skipping those nested in another such element.

    A file that is not well-formed holds no records (the corpus keeps some on purpose).
    """
    try:
        document = xmlsafe.parse(path).getroot()
    except MetadataError:
        return []
    found = [element for element in document.iter() if isinstance(element.tag, str) and is_root(element)]
    return [
        element for element in found
        if not any(is_root(ancestor) for ancestor in element.iterancestors())
    ]


def name(path: Path) -> str:
    """A test id for a corpus file: its path below the corpus folder."""
    return path.relative_to(CORPUS).as_posix()
