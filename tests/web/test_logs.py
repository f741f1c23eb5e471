"""Logging set-up: JSON lines when stderr is not a terminal, one Lectern handler however often configured."""
from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from web import logs


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_auto_format_writes_json_lines_when_stderr_is_not_a_terminal(
    restored_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    logs.configure("auto")
    logging.getLogger("harvester.run").info("page done", extra={"source": "edurep", "run_id": 7})
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["message"] == "page done"
    assert line["logger"] == "harvester.run"
    assert (line["level"], line["source"], line["run_id"]) == ("info", "edurep", 7)


def test_text_format_writes_the_message_on_one_line(
    restored_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    logs.configure("text")
    logging.getLogger("catalogue").warning("disk nearly full")
    assert capsys.readouterr().err.rstrip().endswith("WARNING catalogue: disk nearly full")


def test_configuring_twice_keeps_one_handler(restored_logging: None, capsys: pytest.CaptureFixture[str]) -> None:
    logs.configure("json")
    logs.configure("json")
    logging.getLogger("web").info("once")
    assert capsys.readouterr().err.count('"once"') == 1
    assert logs.configured()


def test_an_unknown_format_is_refused(restored_logging: None) -> None:
    with pytest.raises(ValueError, match="log format must be one of auto, text, json"):
        logs.configure("xml")
