"""Librarian messages: the commonest real-world schema errors, each found in a real corpus file, read as
sentences that name the element's path and line; the path format; the libxml2 fallback."""
from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest
from lxml import etree
from xmlschema import XMLSchemaValidationError

from metadata import messages, schemas, xmlsafe
from metadata.namespaces import LOM
from metadata.validation import DOCUMENT_ERRORS, Problem, check
from tests.support.lom_corpus import records_in

# The kinds of error met in the corpus, commonest first: problems over every LOM record of the corpus
# under lom-strict (158 records) were extension 417, vocabulary-source 396, language 230, unexpected
# 137, ieee-lom-namespace 28, vocabulary 20, text-not-allowed 10, value 1. Each comes with a file that
# shows it and the profile that meets it.
COMMON_KINDS = [
    ("xsd:extension", "lom/apiscol-scolomfr/data__appel-hanovre-87451.xml", "lom-strict"),
    ("xsd:vocabulary-source", "lom/apiscol-scolomfr/data__darwin-161986.xml", "lom-strict"),
    ("xsd:language", "lom/apiscol-scolomfr/data__scolomfr2__atome.xml", "lom-loose"),
    ("xsd:unexpected", "lom/apiscol-scolomfr/data__scolomfr2__atome.xml", "lom-loose"),
    ("ieee-lom-namespace", "lom/kennisnet-phpnllom/tests__result.xml", "lom-loose"),
    ("xsd:vocabulary", "lom/apiscol-scolomfr/data__sol_aqueuse_demo__imsmanifest.xml", "lom-strict"),
    ("xsd:text-not-allowed", "lom/apiscol-scolomfr/solution_aqueuse_imsld__mdata__definition_base.xml", "lom-loose"),
    ("xsd:value", "lom/procomun-lomes/odes__util__imsmanifest_template.xml", "lom-loose"),
]
_JARGON = re.compile(r"\{http|Xsd|\[a-z|\[facet|\bpattern\b|\bunion type\b|\bQName\b|xs:")
_VERB = re.compile(r"\b(is|are|may|must|holds|needs|has)\b")


def _problems(corpus: Path, relative: str, profile: str) -> list[Problem]:
    return [problem for result in check(corpus / relative, profile) for problem in result.problems]


def _is_lom_like(element: etree._Element) -> bool:
    return etree.QName(element).localname == "lom"


def _element_at(record: etree._Element, path: str) -> etree._Element:
    """Follow a message path (`lom/general/title/string[2]`) down from the record, independently."""
    first, *steps = path.split("/")
    assert first == etree.QName(record).localname
    node = record
    for step in steps:
        name, _, position = step.partition("[")
        same = [child for child in node if isinstance(child.tag, str) and etree.QName(child).localname == name]
        node = same[int(position[:-1]) - 1 if position else 0]
        assert position or len(same) == 1, f"{step} is ambiguous without a position"
    return node


def _assert_reads_as_sentence(message: str) -> None:
    assert not _JARGON.search(message), message
    assert _VERB.search(message), message
    assert message[0].islower() or message[0] == "'", message
    assert len(message) < 400 and "\n" not in message


@pytest.mark.parametrize("rule,relative,profile", COMMON_KINDS, ids=[kind for kind, _, _ in COMMON_KINDS])
def test_common_corpus_error_names_path_and_line_in_a_sentence(
    corpus: Path, rule: str, relative: str, profile: str
) -> None:
    found = [problem for problem in _problems(corpus, relative, profile) if problem.rule == rule]
    assert found, f"{relative} no longer shows {rule}"
    records = records_in(corpus / relative, _is_lom_like)
    for problem in found:
        _assert_reads_as_sentence(problem.message)
        element = _element_at(records[problem.record - 1], problem.path)
        assert element.sourceline == problem.line, problem


def test_every_corpus_schema_error_falls_into_a_named_kind(corpus: Path) -> None:
    kinds: collections.Counter[str] = collections.Counter()
    for path in sorted((corpus / "lom").rglob("*.xml")):
        for profile in ("lom-strict", "lom-loose"):
            try:
                kinds.update(problem.rule for result in check(path, profile) for problem in result.problems)
            except DOCUMENT_ERRORS:
                continue
    assert kinds["xsd:other"] == 0 and kinds["xsd:schema"] == 0
    assert {rule for rule, _ in kinds.most_common(5)} <= {rule for rule, _, _ in COMMON_KINDS}


def test_extension_message_in_strict_points_to_the_loose_profile(corpus: Path) -> None:
    problem = next(
        problem
        for problem in _problems(corpus, "lom/apiscol-scolomfr/data__bare_manifest.xml", "lom-strict")
        if problem.rule == "xsd:extension"
    )
    assert problem.message == (
        "element 'documentType' (namespace LOM-FR) is not allowed here; the strict LOM profile allows "
        "no extensions — use the lom-loose profile or remove it"
    )
    assert problem.path == "lom/general/documentType"


def test_foreign_vocabulary_source_names_the_accepted_source(corpus: Path) -> None:
    problem = next(
        problem
        for problem in _problems(corpus, "lom/apiscol-scolomfr/data__darwin-161986.xml", "lom-strict")
        if problem.rule == "xsd:vocabulary-source"
    )
    assert problem.message.startswith("'LOMFRv1.0' is not a LOMv1.0 vocabulary source; strict LOM accepts only")


def test_value_of_a_rejected_vocabulary_source_is_not_reported_twice(corpus: Path) -> None:
    problems = _problems(corpus, "lom/apiscol-scolomfr/data__darwin-161986.xml", "lom-strict")
    rejected = {p.path.rpartition("/")[0] for p in problems if p.rule == "xsd:vocabulary-source"}
    assert rejected and not any(
        p.rule == "xsd:vocabulary" and p.path.rpartition("/")[0] in rejected for p in problems
    )


def test_language_uri_message_suggests_the_code_inside_it(corpus: Path) -> None:
    problems = _problems(corpus, "lom/apiscol-scolomfr/data__scolomfr2__atome.xml", "lom-loose")
    assert Problem(
        str(corpus / "lom/apiscol-scolomfr/data__scolomfr2__atome.xml"),
        12,
        "lom/general/title/string",
        "xsd:language",
        "the language 'http://id.loc.gov/vocabulary/iso639-2/fre' is not a language code "
        "(use the ISO 639 code itself: 'fre')",
        1,
    ) in problems


def test_comment_inside_a_value_does_not_hide_the_value_error(corpus: Path) -> None:
    relative = "lom/apiscol-scolomfr/data__scolomfr2__exemple_fiche_ScoLOMFR_V_M2_m0_C3_unique_location.xml"
    languages = [p for p in _problems(corpus, relative, "lom-loose") if p.path.startswith("lom/general/language")]
    assert [p.path for p in languages] == ["lom/general/language[1]", "lom/general/language[2]"]
    assert all(p.rule == "xsd:language" for p in languages)


def _explained(record: bytes, schema: str = "lom-strict") -> list[messages.Explanation]:
    element = xmlsafe.fromstring(record)
    return [messages.explain(error, element, schema) for error in schemas.xsd(schema).iter_errors(element)]


def test_repeated_element_may_appear_only_once() -> None:
    (explanation,) = _explained(
        f'<lom xmlns="{LOM}"><general><title><string>a</string></title>'
        f"<title><string>b</string></title></general></lom>".encode()
    )
    assert (explanation.kind, explanation.path) == ("repeated", "lom/general/title[2]")
    assert explanation.text == "element 'title' may appear only once in 'general'"


def test_misspelt_element_gets_the_name_it_resembles() -> None:
    (explanation,) = _explained(f'<lom xmlns="{LOM}"><general><titel/></general></lom>'.encode())
    assert explanation.text == "element 'titel' is not allowed in 'general'; did you mean 'title'?"


def test_foreign_attribute_is_named() -> None:
    (explanation,) = _explained(f'<lom xmlns="{LOM}"><general colour="red"/></lom>'.encode())
    assert (explanation.kind, explanation.text) == ("attribute", "attribute 'colour' is not allowed on 'general'")


def test_bad_size_says_what_a_size_is() -> None:
    (explanation,) = _explained(f'<lom xmlns="{LOM}"><technical><size>12 MB</size></technical></lom>'.encode())
    assert explanation.text == "'12 MB' is not a whole number of bytes (e.g. 1048576)"


def test_element_path_indexes_only_names_that_repeat() -> None:
    record = xmlsafe.fromstring(
        f'<lom xmlns="{LOM}"><general><title><string>a</string><string>b</string></title>'
        f"<keyword/><keyword><string>k</string></keyword></general></lom>".encode()
    )
    second_string = record[0][0][1]
    keyword_string = record[0][2][0]
    assert messages.element_path(second_string, record) == "lom/general/title/string[2]"
    assert messages.element_path(keyword_string, record) == "lom/general/keyword[2]/string"


def test_element_path_is_relative_to_the_record_not_the_document() -> None:
    document = xmlsafe.fromstring(
        f'<manifest><metadata><lom xmlns="{LOM}"/></metadata><lom xmlns="{LOM}"><general/></lom></manifest>'.encode()
    )
    record = document[1]
    assert messages.element_path(record[0], record) == "lom/general"


def test_libxml2_log_entry_becomes_a_sentence_at_its_element() -> None:
    record = xmlsafe.fromstring(f'<lom xmlns="{LOM}">\n<general>\n<titel/>\n</general>\n</lom>'.encode())
    validator = schemas.lxml_schema("lom-strict")
    assert not validator.validate(record)
    explanation = messages.explain_log_entry(validator.error_log[0], record)
    assert (explanation.line, explanation.path, explanation.kind) == (3, "lom/general/titel", "schema")
    assert explanation.text.startswith("this element is not expected") and "{http" not in explanation.text


def test_unknown_namespace_is_shown_as_its_uri() -> None:
    assert messages.namespace_name("urn:example:ext") == "urn:example:ext"
    assert messages.namespace_name("http://www.lom-fr.fr/xsd/LOMFR") == "LOM-FR"


def test_error_of_no_known_kind_keeps_the_schema_words_without_namespaces() -> None:
    record = xmlsafe.fromstring(f'<lom xmlns="{LOM}"><general/></lom>'.encode())
    error = XMLSchemaValidationError(
        schemas.xsd("lom-strict"), record[0], f"The content of element '{{{LOM}}}general' is not complete."
    )
    explanation = messages.explain(error, record, "lom-strict")
    assert (explanation.kind, explanation.path) == ("other", "lom/general")
    assert explanation.text == "'general': the content of element 'general' is not complete"
