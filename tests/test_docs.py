"""Every setting, CLI command and OAI error code is documented, and every command has usable help."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from oai.protocol import ERRORS
from web.cli import main
from web.settings import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
DOCS = "\n".join(path.read_text(encoding="utf-8") for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


def _commands(group: click.Group, prefix: str = "lectern") -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from _commands(command, path)


COMMANDS = list(_commands(main))


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.name)
def test_every_setting_is_documented_with_its_environment_variable(setting) -> None:  # type: ignore[no-untyped-def]
    assert setting.help.strip()
    assert f"`{setting.name}`" in DOCS
    assert f"LECTERN_{setting.name.upper()}" in DOCS


@pytest.mark.parametrize("code", sorted(ERRORS))
def test_every_oai_error_code_is_documented(code: str) -> None:
    assert f"`{code}`" in DOCS


@pytest.mark.parametrize("path,command", COMMANDS, ids=[path for path, _ in COMMANDS])
def test_every_command_has_a_summary_and_an_example(path: str, command: click.Command) -> None:
    assert command.get_short_help_str(limit=200).strip(), f"{path} has no one-line summary"
    if not isinstance(command, click.Group):
        assert "Example:" in (command.help or ""), f"{path} --help shows no Example: block"


@pytest.mark.parametrize("path,command", COMMANDS, ids=[path for path, _ in COMMANDS])
def test_every_command_is_documented(path: str, command: click.Command) -> None:
    assert f"`{path}" in DOCS, f"{path} appears in neither README.md nor docs/"
