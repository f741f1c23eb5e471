"""`harvester.quirks`: what national networks send, put right with a note per kind of change."""
from __future__ import annotations

import pytest
from lxml import etree

from harvester import quirks
from metadata.namespaces import LOM
from metadata.xmlsafe import fromstring

L = f"{{{LOM}}}"


def _fixed(inner: str) -> tuple[etree._Element, tuple[str, ...]]:
    record = fromstring(f'<lom xmlns="{LOM}">{inner}</lom>'.encode())
    return record, quirks.normalise(record)


def _vocabulary(element: str, source: str, value: str) -> str:
    return f"<educational><{element}><source>{source}</source><value>{value}</value></{element}></educational>"


def test_a_clean_record_is_left_as_it_is() -> None:
    inner = ('<general><title><string language="nl">Kaart</string></title><language>nl</language>'
             '<language>none</language></general><lifeCycle><contribute><date><dateTime>2020-05-07T11:37:00Z'
             '</dateTime></date></contribute></lifeCycle>' + _vocabulary("context", "LOMv1.0", "school"))
    record, notes = _fixed(inner)
    assert notes == ()
    assert etree.tostring(record) == etree.tostring(fromstring(f'<lom xmlns="{LOM}">{inner}</lom>'.encode()))


@pytest.mark.parametrize("source", ["LOMnlv1.0", "LOM-FRv1.0", "LOMFRv1.0", " "])
def test_a_national_source_of_a_lom_term_becomes_lomv1(source: str) -> None:
    record, notes = _fixed(_vocabulary("context", source, "school"))
    assert record.findtext(f"{L}educational/{L}context/{L}source") == "LOMv1.0"
    assert notes == (f"vocabulary source {source.strip() or '(empty)'!r} of a LOMv1.0 term written as LOMv1.0",)


@pytest.mark.parametrize("source,value", [("LOMnlv1.0", "vmbo"), ("SCOLOMFRv1.0", "school"), ("LOMv1.0", "school")])
def test_a_profiles_own_term_or_another_vocabulary_keeps_its_source(source: str, value: str) -> None:
    record, notes = _fixed(_vocabulary("context", source, value))
    assert record.findtext(f"{L}educational/{L}context/{L}source") == source
    assert notes == ()


@pytest.mark.parametrize("value", ["none", "x-none", "mul", ""])
def test_a_string_in_no_single_language_loses_its_language(value: str) -> None:
    record, notes = _fixed(f'<general><title><string language="{value}">Kaart</string></title></general>')
    assert record.find(f"{L}general/{L}title/{L}string").get("language") is None
    assert len(notes) == 1


def test_language_uris_become_codes() -> None:
    uri = "http://id.loc.gov/vocabulary/iso639-2/fre"
    record, notes = _fixed(f'<general><title><string language="{uri}">Atome</string></title>'
                           f'<language>{uri}</language></general>')
    assert record.find(f"{L}general/{L}title/{L}string").get("language") == "fre"
    assert record.findtext(f"{L}general/{L}language") == "fre"
    assert notes == ("replaced language URIs by their language codes (×2)",)


def test_general_language_x_none_becomes_none_and_elsewhere_no_language_is_dropped() -> None:
    record, notes = _fixed("<general><language>x-none</language></general>"
                           "<metaMetadata><language>none</language></metaMetadata>"
                           "<educational><language>mul</language></educational>")
    assert record.findtext(f"{L}general/{L}language") == "none"
    assert record.find(f"{L}metaMetadata/{L}language") is None
    assert record.findtext(f"{L}educational/{L}language") == "mul"
    assert len(notes) == 2


@pytest.mark.parametrize("written,expected", [
    ("2019-01-07T08:00:00", "2019-01-07T08:00:00Z"),
    ("2019-01-07T08:00", "2019-01-07T08:00Z"),
    ("2019-01-07T08:00:00+01:00", "2019-01-07T08:00:00+01:00"),
    ("2019-01-07", "2019-01-07"),
])
def test_date_times_without_a_zone_are_read_as_utc(written: str, expected: str) -> None:
    record, notes = _fixed(f"<lifeCycle><contribute><date><dateTime>{written}</dateTime></date></contribute></lifeCycle>")
    assert record.findtext(f"{L}lifeCycle/{L}contribute/{L}date/{L}dateTime") == expected
    assert bool(notes) == (written != expected)


def test_lom_terms_come_from_the_schema() -> None:
    terms = quirks.lom_terms()
    assert "exercise" in terms["learningResourceType"] and "creator" in terms["role"]
