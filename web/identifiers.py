"""Full OAI identifiers (`oai:<repository identifier>:<local id>`) at the command line and in pages.

People copy identifiers from harvest logs and from `lectern records`, so commands accept either form.
"""
from __future__ import annotations


def prefix(repository_identifier: str) -> str:
    """What precedes a local identifier in this repository's OAI identifiers."""
    return f"oai:{repository_identifier}:"


def local_id(repository_identifier: str, identifier: str) -> str:
    """The local identifier inside `identifier`, which may already be local."""
    head = prefix(repository_identifier)
    return identifier[len(head):] if identifier.startswith(head) else identifier
