"""Profiles: the shipped files load, and each rule kind of the engine judges records as documented."""
from __future__ import annotations

import pytest
from lxml import etree

from metadata import samples, xmlsafe
from metadata.errors import UnknownProfileError
from metadata.namespaces import LOM
from metadata.profiles import Profile

HEADER = """
title = "test"
description = "a profile written by a test"
kind = "lom"
schema = "lom-loose"
"""


def _lom(body: str) -> etree._Element:
    return xmlsafe.fromstring(f'<lom xmlns="{LOM}">{body}</lom>'.encode())


def _sample() -> etree._Element:
    """A record the lectern profile admits (the sample generator promises it)."""
    return xmlsafe.fromstring(samples.generate_record(7))


def _without(record: etree._Element, path: str) -> etree._Element:
    for element in record.xpath(path, namespaces={"lom": LOM}):
        element.getparent().remove(element)
    return record


def _rule_ids(profile: Profile, record: etree._Element) -> list[str]:
    return [violation.rule.id for violation in profile.violations(record)]


def test_names_lists_the_shipped_profiles() -> None:
    assert Profile.names() == ("dc", "lectern", "lom-loose", "lom-strict")


@pytest.mark.parametrize("name", ["dc", "lectern", "lom-loose", "lom-strict"])
def test_every_shipped_profile_loads_with_its_schema_and_kind(name: str) -> None:
    profile = Profile.load(name)
    assert profile.name == name and profile.kind in {"lom", "dc"} and profile.title


def test_unknown_profile_error_lists_the_known_names() -> None:
    with pytest.raises(UnknownProfileError) as raised:
        Profile.load("lom-strictest")
    assert all(name in str(raised.value) for name in Profile.names())


def test_profile_names_cannot_reach_outside_the_profiles_folder() -> None:
    with pytest.raises(UnknownProfileError):
        Profile.load("../lom/strict")


def test_ieee_binding_profiles_add_no_rules_to_the_schema_verdict() -> None:
    assert Profile.load("lom-strict").rules == () and Profile.load("lom-loose").rules == ()
    assert (Profile.load("lom-strict").schema, Profile.load("lom-loose").schema) == ("lom-strict", "lom-loose")


def test_lectern_admits_a_complete_sample_record() -> None:
    assert _rule_ids(Profile.load("lectern"), _sample()) == []


@pytest.mark.parametrize(
    "removed,rule",
    [
        ("lom:general/lom:title", "require:general/title"),
        ("lom:general/lom:description", "require:general/description"),
        ("lom:general/lom:language", "require:general/language"),
        ("lom:technical/lom:location", "require:technical/location"),
        ("lom:educational/lom:learningResourceType", "require:educational/learningResourceType"),
        ("lom:rights", "any_of:rights/description"),
        ("lom:educational/lom:context | lom:educational/lom:typicalAgeRange", "any_of:educational/context"),
    ],
)
def test_lectern_names_each_missing_admission_element(removed: str, rule: str) -> None:
    assert _rule_ids(Profile.load("lectern"), _without(_sample(), removed)) == [rule]


def test_require_anchors_the_violation_at_the_parent_that_lacks_the_element() -> None:
    record = _without(_sample(), "lom:general/lom:title")
    (violation,) = Profile.load("lectern").violations(record)
    assert violation.element.tag == f"{{{LOM}}}general"


def test_require_treats_an_element_with_blank_text_as_missing() -> None:
    record = _sample()
    for string in record.xpath("lom:general/lom:title/lom:string", namespaces={"lom": LOM}):
        string.text = "   "
    assert "require:general/title" in _rule_ids(Profile.load("lectern"), record)


def test_any_of_is_satisfied_by_the_second_alternative() -> None:
    record = _without(_sample(), "lom:educational/lom:context")
    age = _lom("<typicalAgeRange><string>8-10</string></typicalAgeRange>")[0]
    record.find(f"{{{LOM}}}educational").append(age)
    assert "any_of:educational/context" not in _rule_ids(Profile.load("lectern"), record)


def test_format_rule_on_an_attribute_points_at_its_element() -> None:
    profile = Profile.from_toml("t", HEADER + '[[format]]\npaths = ["//string/@language"]\nformat = "language-tag"')
    record = _lom('<general><title><string language="en">a</string><string language="Frans">b</string></title></general>')
    (violation,) = profile.violations(record)
    assert violation.element.text == "b" and "'Frans' is not a language code" in violation.message


def test_format_rule_skips_empty_values_which_require_rules_judge() -> None:
    profile = Profile.from_toml("t", HEADER + '[[format]]\npath = "technical/location"\nformat = "url"')
    assert list(profile.violations(_lom("<technical><location> </location></technical>"))) == []


def test_vocabulary_rule_judges_only_values_of_its_source() -> None:
    profile = Profile.from_toml(
        "t", HEADER + '[[vocabulary]]\npath = "educational/context"\nsource = "LOMv1.0"\nvalues = ["school"]'
    )
    record = _lom(
        "<educational><context><source>LOMv1.0</source><value>college</value></context>"
        "<context><source>LOMFRv1.0</source><value>college</value></context></educational>"
    )
    (violation,) = profile.violations(record)
    assert violation.element.getparent().findtext(f"{{{LOM}}}source") == "LOMv1.0"
    assert violation.message == "value 'college' is not one of the LOMv1.0 values: school"


def test_vocabulary_rule_without_source_judges_the_element_text() -> None:
    profile = Profile.from_toml(
        "t", HEADER.replace('"lom"', '"dc"').replace('"lom-loose"', '"oai_dc"')
        + '[[vocabulary]]\npath = "type"\nvalues = ["Text"]'
    )
    record = xmlsafe.fromstring(
        b'<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:type>Text</dc:type><dc:type>article</dc:type></oai_dc:dc>'
    )
    assert [violation.element.text for violation in profile.violations(record)] == ["article"]


def test_rule_message_from_the_file_replaces_the_generated_one() -> None:
    profile = Profile.from_toml("t", HEADER + '[[require]]\npath = "general/title"\nmessage = "a title, please"')
    assert [violation.message for violation in profile.violations(_lom("<general/>"))] == ["a title, please"]


def test_generated_require_message_names_element_and_parent() -> None:
    profile = Profile.from_toml("t", HEADER + '[[require]]\npath = "general/title"')
    (violation,) = profile.violations(_lom(""))
    assert violation.message == "missing required element 'title' in 'general'" and violation.element.tag.endswith("lom")


def test_warning_severity_is_carried_by_the_rule() -> None:
    record = xmlsafe.fromstring(
        b'<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>T</dc:title></oai_dc:dc>'
    )
    (violation,) = Profile.load("dc").violations(record)
    assert (violation.rule.id, violation.rule.severity) == ("require:identifier", "warning")


@pytest.mark.parametrize(
    "text,complaint",
    [
        (HEADER + '[[format]]\npath = "a"\nformat = "colour"', "format 'colour'"),
        (HEADER + '[[require]]\npath = "a"\nseverity = "fatal"', "severity 'fatal'"),
        (HEADER + '[[require]]\npath = "a"\nwhen = "always"', "unknown keys: when"),
        (HEADER + '[[vocabulary]]\npath = "a"', "needs a list of values"),
        (HEADER.replace('"lom-loose"', '"lom-strictest"'), "lom-strictest"),
        (HEADER.replace('"lom"', '"marc"', 1), "kind 'marc'"),
        (HEADER + "colour = 1", "unknown keys: colour"),
        (HEADER + '[[require]]\npath = "general/[title"', "cannot be read"),
        ("title = ", "broken"),
    ],
)
def test_broken_profile_text_is_refused_with_the_reason(text: str, complaint: str) -> None:
    with pytest.raises(ValueError, match="broken") as raised:
        Profile.from_toml("t", text)
    assert complaint in str(raised.value)
