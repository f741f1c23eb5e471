"""Option decorators shared by several `lectern` commands, so each flag means one thing everywhere."""
from __future__ import annotations

import click

output_format = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for scripts.",
)
