"""Value formats: each accepts what its standard allows and explains what it rejects."""
from __future__ import annotations

import pytest

from metadata.formats import FORMATS, language_fault, quoted

ACCEPTED = {
    "language-tag": ["en", "fr", "fre", "en-GB", "zh-Hant-TW", "de-CH-1996", "es-419", "x-local", "i-klingon"],
    "language-tag-or-none": ["none", "nl", "pt-BR"],
    "iso8601-datetime": ["2019", "2019-01", "2019-01-07", "2019-01-07T08:00:00Z", "2019-01-07T08:00",
                         "2019-01-07T08:00:00.25+01:00", "2020-02-29", "2019-01-07T08:00:00-0500"],
    "iso8601-duration": ["PT1H30M", "P2D", "P1Y2M", "P3W", "PT0.5S", "P1DT12H"],
    "url": ["http://example.org", "https://example.org/a?b=c#d", "ftp://ftp.example.org/pub/file.pdf"],
    "vcard": ["BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nN:Lovelace;Ada;;;\nEND:VCARD",
              "BEGIN:VCARD\r\n  VERSION:3.0\r\n  FN;CHARSET=UTF-8:Jo\r\n  END:VCARD  "],
    "cc-licence-url": ["CC BY-SA https://creativecommons.org/licenses/by-sa/4.0/",
                       "http://creativecommons.org/licenses/by/3.0/nl/deed.nl",
                       "https://creativecommons.org/publicdomain/zero/1.0/legalcode.",
                       "All rights reserved by the author."],
}
REJECTED = {
    "language-tag": ["french", "http://id.loc.gov/vocabulary/iso639-2/fre", "e", "en_GB", "none"],
    "language-tag-or-none": ["None!", "en GB"],
    "iso8601-datetime": ["2019-13-01", "2019-02-30", "07/01/2019", "2019-01-07T25:00", "yesterday"],
    "iso8601-duration": ["1 hour", "P", "PT", "P1H", "PT1.5H30M"],
    "url": ["www.example.org", "http://", "http://example.org/a file.pdf", "mailto:someone@example.org"],
    "vcard": ["Ada Lovelace", "BEGIN:VCARD\nVERSION:3.0\nORG:Union\nEND:VCARD", "BEGIN:VCARD\nFN:A\nEND:VCARD"],
    "cc-licence-url": ["see https://creativecommons.org/ for details", "https://creativecommons.org/licenses/by/5.0/"],
}


@pytest.mark.parametrize("name,value", [(name, value) for name, values in ACCEPTED.items() for value in values])
def test_format_accepts_what_its_standard_allows(name: str, value: str) -> None:
    assert FORMATS[name].fault(value) is None


@pytest.mark.parametrize("name,value", [(name, value) for name, values in REJECTED.items() for value in values])
def test_format_explains_what_it_rejects(name: str, value: str) -> None:
    fault = FORMATS[name].fault(value)
    assert fault is not None and (" not " in fault or " no " in fault)


def test_every_format_is_tested_both_ways() -> None:
    assert set(ACCEPTED) == set(REJECTED) == set(FORMATS)


def test_language_uri_fault_names_the_iso_code_it_contains() -> None:
    assert language_fault("http://id.loc.gov/vocabulary/iso639-2/fre") == (
        "the language 'http://id.loc.gov/vocabulary/iso639-2/fre' is not a language code "
        "(use the ISO 639 code itself: 'fre')"
    )


def test_vcard_fault_names_the_missing_line_rather_than_quoting_the_card() -> None:
    fault = FORMATS["vcard"].fault("BEGIN:VCARD\nVERSION:3.0\nORG:CNDP\nEND:VCARD")
    assert fault is not None and "no FN line" in fault and "ORG:CNDP" not in fault


def test_cc_licence_fault_quotes_the_bad_address_not_the_whole_text() -> None:
    fault = FORMATS["cc-licence-url"].fault("Free to share. Details: https://creativecommons.org/about/.")
    assert fault == (
        "'https://creativecommons.org/about/' is not a Creative Commons licence URL "
        "(e.g. https://creativecommons.org/licenses/by/4.0/)"
    )


def test_quoted_values_are_one_line_and_cut_short() -> None:
    assert quoted("a\n  b") == "'a b'"
    long = quoted("x" * 500)
    assert len(long) == 82 and long.endswith("…'")
