"""The seeded sample-record generator: deterministic, valid, varied, and shaped for the `lectern` profile."""
from __future__ import annotations

import re
import statistics
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from metadata import samples, schemas, xmlsafe
from metadata.namespaces import LOM, clark
from metadata.profiles import Profile
from tests.support.records import generate_record, generate_records, record_id
from tests.support.standards import official_lom_schema

CHECKED = 300
_NS = {"lom": LOM}


@pytest.fixture(scope="module")
def records() -> list[bytes]:
    return list(generate_records(CHECKED))


@pytest.fixture(scope="module")
def roots(records: list[bytes]) -> list[etree._Element]:
    return [xmlsafe.fromstring(record) for record in records]


def _values(roots: list[etree._Element], path: str) -> Counter:
    return Counter(value.strip() for root in roots for value in root.xpath(f"{path}/text()", namespaces=_NS))


def test_same_seed_gives_the_same_bytes() -> None:
    assert list(generate_records(40, seed=7)) == list(generate_records(40, seed=7))


def test_different_seeds_give_different_records() -> None:
    first, second = generate_records(20, seed=1), generate_records(20, seed=2)
    assert all(one != other for one, other in zip(first, second))


@pytest.mark.parametrize("index", [0, 1, 38, 199])
def test_record_by_index_equals_the_streamed_record(index: int) -> None:
    streamed = list(generate_records(200, seed=11))
    assert generate_record(index, seed=11) == streamed[index]


def test_record_does_not_depend_on_records_generated_before() -> None:
    alone = generate_record(123, seed=4)
    list(generate_records(50, seed=4))
    list(generate_records(30, seed=9))
    assert generate_record(123, seed=4) == alone


def test_records_are_standalone_utf8_lom_documents(records: list[bytes]) -> None:
    for record in records:
        assert record.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<lom xmlns="http://ltsc.ieee.org/xsd/LOM">')
        record.decode("utf-8")
        assert xmlsafe.fromstring(record).tag == clark(LOM, "lom")


def test_records_are_valid_under_our_strict_schema(roots: list[etree._Element]) -> None:
    schema = schemas.lxml_schema("lom-strict")
    invalid = [(index, str(schema.error_log)) for index, root in enumerate(roots) if not schema.validate(root)]
    assert invalid == []


def test_records_are_valid_under_the_official_strict_binding(roots: list[etree._Element]) -> None:
    schema = official_lom_schema("strict")
    invalid = [(index, str(schema.error_log)) for index, root in enumerate(roots) if not schema.validate(root)]
    assert invalid == []


def test_ids_are_unique_and_follow_the_demo_pattern(roots: list[etree._Element]) -> None:
    ids = [root.xpath("string(lom:general/lom:identifier[lom:catalog='lectern']/lom:entry)", namespaces=_NS)
           for root in roots]
    assert ids == [record_id(index) for index in range(CHECKED)]
    assert ids[42] == "lectern-demo-000042"
    assert len(set(ids)) == CHECKED


@pytest.mark.parametrize(
    "path,expected",
    [
        ("lom:general/lom:language", {"nl", "en", "fr", "de"}),
        ("lom:general/lom:title/lom:string/@language", {"nl", "en", "fr", "de"}),
        ("lom:educational/lom:context/lom:value", {"school", "higher education", "training", "other"}),
        ("lom:educational/lom:intendedEndUserRole/lom:value", {"learner", "teacher", "author", "manager"}),
        ("lom:rights/lom:copyrightAndOtherRestrictions/lom:value", {"yes", "no"}),
    ],
)
def test_vocabulary_values_cover_the_whole_range(roots: list[etree._Element], path: str, expected: set) -> None:
    if path.endswith("@language"):
        seen = {value for root in roots for value in root.xpath(path, namespaces=_NS)}
    else:
        seen = set(_values(roots, path))
    assert seen == expected


def test_learning_resource_types_are_varied(roots: list[etree._Element]) -> None:
    types = _values(roots, "lom:educational/lom:learningResourceType/lom:value")
    assert len(types) == 15
    assert max(types.values()) < CHECKED / 5


def test_titles_are_mostly_distinct(roots: list[etree._Element]) -> None:
    titles = {root.xpath("string(lom:general/lom:title/lom:string[1])", namespaces=_NS) for root in roots}
    assert len(titles) > CHECKED * 0.75


def test_some_records_give_context_or_age_range_alone(roots: list[etree._Element]) -> None:
    shapes = Counter((bool(root.xpath("lom:educational/lom:context", namespaces=_NS)),
                      bool(root.xpath("lom:educational/lom:typicalAgeRange", namespaces=_NS))) for root in roots)
    assert set(shapes) == {(True, True), (True, False), (False, True)}


PROFILE_PATHS = [
    "lom:general/lom:title/lom:string[normalize-space()]",
    "lom:general/lom:description/lom:string[normalize-space()]",
    "lom:general/lom:language",
    "lom:general/lom:keyword/lom:string[normalize-space()]",
    "lom:technical/lom:location[starts-with(., 'https://')]",
    "lom:rights/lom:copyrightAndOtherRestrictions/lom:value",
    "lom:rights/lom:description/lom:string[contains(., 'https://creativecommons.org/')]",
    "lom:educational/lom:learningResourceType/lom:value",
    "lom:educational/lom:context | lom:educational/lom:typicalAgeRange",
    "lom:lifeCycle/lom:contribute/lom:entity[starts-with(., 'BEGIN:VCARD') and contains(., 'END:VCARD')]",
    "lom:classification/lom:taxonPath/lom:taxon/lom:id",
]


@pytest.mark.parametrize("path", PROFILE_PATHS)
def test_every_record_has_what_the_lectern_profile_requires(roots: list[etree._Element], path: str) -> None:
    missing = [index for index, root in enumerate(roots) if not root.xpath(path, namespaces=_NS)]
    assert missing == []


@pytest.mark.parametrize("name", ["lectern", "lom-strict"])
def test_records_break_no_rule_of_the_profile(roots: list[etree._Element], name: str) -> None:
    profile = Profile.load(name)
    broken = [(index, violation.message) for index, root in enumerate(roots) for violation in profile.violations(root)]
    assert broken == []


def test_licence_urls_are_creative_commons_licences(roots: list[etree._Element]) -> None:
    texts = _values(roots, "lom:rights/lom:description/lom:string")
    urls = {re.search(r"https://\S+", text).group() for text in texts}
    assert all(re.fullmatch(r"https://creativecommons\.org/(licenses|publicdomain)/[a-z-]+/\d\.\d/([a-z]{2}/)?", url)
               for url in urls)
    assert len(urls) > 4


def test_markup_characters_in_values_are_escaped(records: list[bytes], roots: list[etree._Element]) -> None:
    assert any(b"&amp;" in record for record in records)
    assert any(b"&lt;canvas&gt;" in record for record in records)
    titles = [root.xpath("string(lom:general/lom:title)", namespaces=_NS) for root in roots]
    assert any("&" in title for title in titles)


@pytest.mark.parametrize("size", [samples.DEFAULT_SIZE, 12_000, 30_000])
def test_records_average_about_the_size_asked_for(size: int) -> None:
    mean = statistics.mean(len(record) for record in generate_records(100, seed=3, size=size))
    assert size * 0.95 < mean < size * 1.1


@pytest.mark.parametrize("index,seed", [(-1, 0), (1 << 40, 0), (0, -1)])
def test_negative_or_overlapping_seeds_are_refused(index: int, seed: int) -> None:
    with pytest.raises(ValueError, match="need 0 <= index"):
        generate_record(index, seed)


def test_write_demo_writes_one_file_per_record(tmp_path: Path) -> None:
    written = samples.write_demo(tmp_path / "demo", count=5)
    assert [path.name for path in written] == [f"lectern-demo-00000{index}.xml" for index in range(5)]
    assert [path.read_bytes() for path in written] == list(generate_records(5))


def test_write_demo_again_rewrites_the_same_files_and_drops_stale_ones(tmp_path: Path) -> None:
    samples.write_demo(tmp_path, count=6)
    (tmp_path / "notes.txt").write_text("kept")
    samples.write_demo(tmp_path, count=4)
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        *(f"lectern-demo-00000{index}.xml" for index in range(4)), "notes.txt"]
    assert (tmp_path / "lectern-demo-000003.xml").read_bytes() == generate_record(3)
