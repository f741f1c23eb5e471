"""oai/formats.py: the registry of disseminated formats."""
from __future__ import annotations

import pytest

from catalogue.listing import FORMAT_COLUMNS
from metadata.namespaces import LOM, OAI_DC
from oai.errors import CannotDisseminateFormat
from oai.formats import FORMATS, format_for, formats_stored_as


def test_oai_dc_and_lom_are_offered_with_their_namespaces() -> None:
    assert format_for("oai_dc").namespace == OAI_DC
    assert format_for("oai_dc").schema == "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
    assert format_for("lom").namespace == LOM
    assert format_for("lom").schema.endswith("/lomLoose.xsd")


def test_every_format_is_stored_by_the_catalogue() -> None:
    assert {fmt.stored_as for fmt in FORMATS.values()} <= set(FORMAT_COLUMNS)


@pytest.mark.parametrize("prefix", ["marc21", "LOM", "oai_DC", ""])
def test_unknown_prefix_cannot_be_disseminated(prefix: str) -> None:
    with pytest.raises(CannotDisseminateFormat, match="oai_dc, lom"):
        format_for(prefix)


def test_formats_of_stored_keys_keep_registry_order() -> None:
    assert [fmt.prefix for fmt in formats_stored_as(("lom", "oai_dc"))] == ["oai_dc", "lom"]
    assert formats_stored_as(()) == ()


def test_registry_cannot_be_changed_at_run_time() -> None:
    with pytest.raises(TypeError):
        FORMATS["x"] = FORMATS["lom"]  # type: ignore[index]
