"""The element-reading rules of `metadata.lomtree`, shared by the LOM accessors and the crosswalk."""
from __future__ import annotations

from lxml import etree

from metadata import lomtree, xmlsafe
from metadata.namespaces import LOM


def _element(body: str) -> etree._Element:
    return xmlsafe.fromstring(f'<x xmlns="{LOM}" xmlns:ext="urn:example:ext">{body}</x>'.encode())


def test_text_is_trimmed_and_blank_text_is_none():
    assert lomtree.text(_element("  Plants \n")) == "Plants"
    assert lomtree.text(_element(" \n\t")) is None
    assert lomtree.text(_element("")) is None


def test_text_is_the_text_before_the_first_child():
    assert lomtree.text(_element("Pla<!-- a comment -->nts")) == "Pla"


def test_first_text_is_the_first_elements_even_when_a_later_one_has_text():
    element = _element("<value> </value><value>yes</value>")
    assert lomtree.first_text(list(element)) is None


def test_children_groups_lom_children_by_name_in_document_order_and_ignores_the_rest():
    element = _element(
        "<entity>a</entity><!-- c --><ext:entity>x</ext:entity><role/><entity>b</entity><unknown/>"
    )
    found = lomtree.children(element)
    assert sorted(found) == ["entity", "role"]
    assert [child.text for child in found["entity"]] == ["a", "b"]


def test_named_takes_one_step_of_a_path_through_every_element():
    dates = _element("<date><dateTime>1</dateTime></date><date><description/><dateTime>2</dateTime></date>")
    assert [found.text for found in lomtree.named(list(dates), "dateTime")] == ["1", "2"]


def test_strings_skip_empty_strings_and_other_children_and_blank_languages_read_as_none():
    title = _element(
        '<string language="en"> Plants </string><string language="fr"> </string><!-- c -->'
        '<ext:string>x</ext:string><string language=" ">Pflanzen</string><string>Plantas</string>'
    )
    assert lomtree.strings([title]) == [("Plants", "en"), ("Pflanzen", None), ("Plantas", None)]


def test_vocabulary_is_the_first_source_and_value():
    vocabulary = _element("<value>author</value><source>LOMv1.0</source><value>editor</value><source>x</source>")
    assert lomtree.vocabulary(vocabulary) == ("LOMv1.0", "author")


def test_vocabulary_is_none_when_its_first_value_is_empty_even_if_another_is_not():
    assert lomtree.vocabulary(_element("<source>LOMv1.0</source><value/><value>author</value>")) is None


def test_first_vocabulary_skips_elements_without_a_value():
    roles = _element("<role><source>LOMv1.0</source></role><role><value>publisher</value></role>")
    assert lomtree.first_vocabulary(list(roles)) == (None, "publisher")


def test_identifier_needs_an_entry_and_keeps_its_catalog():
    assert lomtree.identifier(_element("<catalog>URI</catalog><entry> http://x.org/1 </entry>")) == (
        "URI", "http://x.org/1",
    )
    assert lomtree.identifier(_element("<catalog>URI</catalog><entry> </entry>")) is None


def test_urls_are_found_in_prose_without_trailing_punctuation():
    prose = ["CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).", "See HTTP://example.org/terms, thanks"]
    assert list(lomtree.urls(prose)) == ["https://creativecommons.org/licenses/by/4.0/", "HTTP://example.org/terms"]
