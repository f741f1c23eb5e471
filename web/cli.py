"""The `lectern` command line: each command is a thin call into a library function."""
from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lectern")
def main() -> None:
    """Lectern: a metadata repository, OAI-PMH provider and harvester for OER."""
