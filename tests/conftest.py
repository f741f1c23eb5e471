"""Fixtures shared by every test package."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.support import standards  # noqa: F401  (sets XML_CATALOG_FILES before anything parses)

CHECKOUT = Path(__file__).resolve().parent.parent
SHARED = CHECKOUT.parent / "shared"
CORPUS = SHARED / "corpus"
STANDARDS = SHARED / "standards" / "xsd"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared real-world corpus (read only, beside the checkout)."""
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing: expected it at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def corpus_manifest(corpus: Path) -> list[dict[str, str]]:
    """Rows of the corpus's manifest.tsv, one per file."""
    with open(corpus / "manifest.tsv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="session")
def standards() -> Path:
    """The official XSDs with their offline catalog (tests only)."""
    return STANDARDS
