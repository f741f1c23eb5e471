"""Names out of LOM vCard entities, and entities for names, with `metadata.vcard`."""
from __future__ import annotations

import pytest

from metadata.vcard import display_name, vcard_for_name


def test_display_name_is_the_formatted_name():
    card = "BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nN:Lovelace;Ada;;;\nORG:Analytical Engines\nEND:VCARD"
    assert display_name(card) == "Ada Lovelace"


def test_display_name_falls_back_to_the_structured_name_as_family_given():
    card = "BEGIN:VCARD\nVERSION:3.0\nN:Lovelace;Ada;King;Countess;\nEND:VCARD"
    assert display_name(card) == "Lovelace, Ada King"


def test_display_name_falls_back_to_the_organisation_when_fn_and_n_are_empty():
    card = "BEGIN:VCARD\nVERSION:3.0\nFN: \nN:;;;;\nORG:Rustici Software;Samples\nEND:VCARD"
    assert display_name(card) == "Rustici Software, Samples"


def test_display_name_unescapes_commas_semicolons_and_backslashes():
    assert display_name("BEGIN:VCARD\nFN:Acme\\, Inc.\\; R\\\\D\nEND:VCARD") == "Acme, Inc.; R\\D"


def test_display_name_keeps_escaped_semicolons_inside_a_structured_component():
    assert display_name("BEGIN:VCARD\nN:Smith\\;Jones;Ann\nEND:VCARD") == "Smith;Jones, Ann"


def test_display_name_unfolds_continuation_lines():
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Biblioth\r\n èque nationale\r\n  de France\r\nEND:VCARD"
    assert display_name(card) == "Bibliothèque nationale de France"


def test_display_name_reads_vcards_indented_like_the_xml_around_them():
    card = "\n\t\t\tBEGIN:VCARD\n\t\t\tVERSION:3.0\n\t\t\tFN:Indented Person\n\t\t\tEND:VCARD\n\t\t"
    assert display_name(card) == "Indented Person"


def test_display_name_reads_a_vcard_flattened_onto_one_line():
    card = "BEGIN:VCARD VERSION:3.0 FN:MOREAU, Philippe N:MOREAU, Philippe END:VCARD"
    assert display_name(card) == "MOREAU, Philippe"


def test_display_name_reads_a_flattened_vcard_with_parameters_and_no_end():
    card = "BEGIN:VCARD VERSION:3.0 FN: jgar@intef.educacion.es EMAIL;TYPE=INTERNET:  ORG: Plataforma Agrega"
    assert display_name(card) == "jgar@intef.educacion.es"


def test_display_name_ignores_parameters_and_group_prefixes():
    card = (
        "BEGIN:VCARD\nVERSION:3.0\nN;ENCODING=8BIT;CHARSET=UTF-8;LANGUAGE=fr-FR:Martini;Julie\n"
        "item1.FN;CHARSET=UTF-8:Julie Martini\nEND:VCARD"
    )
    assert display_name(card) == "Julie Martini"


def test_display_name_decodes_quoted_printable_with_soft_line_breaks():
    card = (
        "BEGIN:VCARD\nVERSION:2.1\n"
        "FN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Jos=C3=A9 Mart=\n=C3=ADnez\nEND:VCARD"
    )
    assert display_name(card) == "José Martínez"


def test_display_name_is_case_insensitive_about_property_names():
    assert display_name("begin:vcard\nversion:3.0\nfn:Lower Case\nend:vcard") == "Lower Case"


def test_display_name_takes_the_first_of_several_formatted_names():
    assert display_name("BEGIN:VCARD\nFN:First Name\nFN:Second Name\nEND:VCARD") == "First Name"


def test_display_name_reads_cards_with_crlf_line_ends():
    assert display_name("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n") == "Ada Lovelace"


def test_display_name_joins_a_folded_formatted_name_line():
    assert display_name("BEGIN:VCARD\nVERSION:3.0\nFN:Ada Love\n lace\nEND:VCARD") == "Ada Lovelace"


def test_display_name_skips_an_fn_line_a_quoted_printable_soft_break_joined_to_the_line_before():
    card = "BEGIN:VCARD\nNOTE;ENCODING=QUOTED-PRINTABLE:see=\nFN:Not A Name\nN:Lovelace;Ada\nEND:VCARD"
    assert display_name(card) == "Lovelace, Ada"


@pytest.mark.parametrize("text, name", [("Jane Doe", "Jane Doe"), ("  Jane\n  Doe ", "Jane Doe")])
def test_display_name_takes_a_plain_name_that_is_not_a_vcard(text, name):
    assert display_name(text) == name


@pytest.mark.parametrize(
    "text", ["", "   ", "*", "BEGIN:VCARD\nVERSION:3.0\nEMAIL:someone@example.org\nEND:VCARD"]
)
def test_display_name_is_none_when_no_name_can_be_read(text):
    assert display_name(text) is None


def test_vcard_for_a_person_splits_family_and_given_names():
    assert vcard_for_name("Dushay, Naomi") == (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Dushay\\, Naomi\nN:Dushay;Naomi;;;\nEND:VCARD"
    )


def test_vcard_for_a_name_without_one_comma_keeps_it_whole_in_the_family_component():
    assert vcard_for_name("Cornelius Tacitus") == (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Cornelius Tacitus\nN:Cornelius Tacitus;;;;\nEND:VCARD"
    )


def test_vcard_for_an_organisation_names_it_in_org_with_an_empty_n():
    assert vcard_for_name("Acme; R&D", organisation=True) == (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Acme\\; R&D\nN:;;;;\nORG:Acme\\; R&D\nEND:VCARD"
    )


@pytest.mark.parametrize("organisation", [False, True])
@pytest.mark.parametrize(
    "name", ["Doe, Jane", "Smith, John, Jr.", "Back\\slash; semi", "Bibliothèque nationale de France"]
)
def test_display_name_reads_back_the_name_a_vcard_was_made_for(name, organisation):
    assert display_name(vcard_for_name(name, organisation)) == name
