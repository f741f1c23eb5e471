"""The dependency rules of ARCHITECTURE.md, enforced by reading every module's imports."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["metadata", "catalogue", "oai", "harvester", "web"]
THIRD_PARTY_OWNERS = {
    "flask": {"web"},
    "click": {"web"},
    "sqlalchemy": {"catalogue"},
    "alembic": {"catalogue"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _modules() -> list[tuple[str, Path]]:
    return [(package, path) for package in ORDER for path in sorted((ROOT / package).rglob("*.py"))]


@pytest.mark.parametrize("package,path", _modules(), ids=lambda value: str(value))
def test_module_imports_only_packages_below_it(package: str, path: Path) -> None:
    allowed = set(ORDER[: ORDER.index(package) + 1])
    for name in _imports(path):
        top = name.split(".")[0]
        if top in ORDER and top not in allowed:
            pytest.fail(f"{path.relative_to(ROOT)} imports {name}: {top} sits above {package}")
        if package == "harvester" and top == "oai":
            assert name.split(".")[1] in {"protocol", "errors"}, f"{path} imports {name}"
        owners = THIRD_PARTY_OWNERS.get(top)
        if owners is not None:
            assert package in owners, f"{path.relative_to(ROOT)} imports {top}, reserved to {owners}"


@pytest.mark.parametrize("package,path", _modules(), ids=lambda value: str(value))
def test_only_settings_reads_the_environment(package: str, path: Path) -> None:
    if path.relative_to(ROOT).as_posix() == "web/settings.py":
        return
    assert "os.environ" not in path.read_text(encoding="utf-8"), f"{path} reads os.environ"


@pytest.mark.parametrize("package,path", _modules(), ids=lambda value: str(value))
def test_only_xmlsafe_builds_parsers(package: str, path: Path) -> None:
    if path.relative_to(ROOT).as_posix() == "metadata/xmlsafe.py":
        return
    source = path.read_text(encoding="utf-8")
    for forbidden in ("etree.XMLParser(", "etree.iterparse(", "etree.fromstring(", "etree.parse("):
        assert forbidden not in source, f"{path} builds a parser ({forbidden}); use metadata.xmlsafe"
