"""oai/arguments.py: a multi-dict of arguments into a typed Request, or the spec's error."""
from __future__ import annotations

from datetime import datetime

import pytest

from oai.arguments import parse_arguments
from oai.errors import BadArgument, BadVerb

LIST = {"verb": ["ListRecords"], "metadataPrefix": ["lom"]}


def test_missing_verb_is_bad_verb() -> None:
    with pytest.raises(BadVerb, match="missing"):
        parse_arguments({"metadataPrefix": ["lom"]})


def test_repeated_verb_is_bad_verb() -> None:
    with pytest.raises(BadVerb, match="repeated"):
        parse_arguments({"verb": ["Identify", "Identify"]})


@pytest.mark.parametrize("verb", ["", "identify", "ListRecord", "GetRecords", "ListRecords "])
def test_unknown_verb_is_bad_verb(verb: str) -> None:
    with pytest.raises(BadVerb, match="not an OAI-PMH verb"):
        parse_arguments({"verb": [verb]})


def test_argument_the_verb_does_not_take_is_bad_argument() -> None:
    with pytest.raises(BadArgument, match="does not take the argument"):
        parse_arguments({"verb": ["Identify"], "metadataPrefix": ["lom"]})


def test_argument_unknown_to_oai_pmh_is_bad_argument() -> None:
    with pytest.raises(BadArgument, match="junk"):
        parse_arguments({**LIST, "junk": ["1"]})


def test_argument_names_are_case_sensitive() -> None:
    with pytest.raises(BadArgument):
        parse_arguments({"verb": ["ListRecords"], "metadataprefix": ["lom"]})


def test_repeated_argument_is_bad_argument_even_with_equal_values() -> None:
    with pytest.raises(BadArgument, match="repeated"):
        parse_arguments({"verb": ["ListRecords"], "metadataPrefix": ["lom", "lom"]})


def test_resumption_token_with_another_argument_is_bad_argument() -> None:
    with pytest.raises(BadArgument, match="exclusive"):
        parse_arguments({**LIST, "resumptionToken": ["abc"]})


def test_resumption_token_alone_needs_no_metadata_prefix() -> None:
    request = parse_arguments({"verb": ["ListIdentifiers"], "resumptionToken": ["abc"]})
    assert (request.resumption_token, request.metadata_prefix) == ("abc", None)


@pytest.mark.parametrize("params", [
    {"verb": ["ListRecords"]},
    {"verb": ["ListIdentifiers"], "set": ["lang"]},
    {"verb": ["GetRecord"], "identifier": ["oai:lectern.example.org:1"]},
    {"verb": ["GetRecord"], "metadataPrefix": ["lom"]},
])
def test_missing_required_argument_is_bad_argument(params: dict[str, list[str]]) -> None:
    with pytest.raises(BadArgument, match="needs the argument"):
        parse_arguments(params)


@pytest.mark.parametrize("prefix", ["", "lom dc", "lom/x", "lom:x", "lom&x"])
def test_metadata_prefix_of_illegal_syntax_is_bad_argument(prefix: str) -> None:
    with pytest.raises(BadArgument, match="metadataPrefix"):
        parse_arguments({"verb": ["ListRecords"], "metadataPrefix": [prefix]})


@pytest.mark.parametrize("spec", ["", "lang:", ":lang", "lang::nl", "lang nl", "lang/nl"])
def test_set_of_illegal_syntax_is_bad_argument(spec: str) -> None:
    with pytest.raises(BadArgument, match="setSpec"):
        parse_arguments({**LIST, "set": [spec]})


@pytest.mark.parametrize("value", [
    "2024-1-5", "2024-02-30", "2024-01-01T10:00:00", "2024-01-01T10:00Z", "2024-01-01T10:00:00.5Z",
    "2024-01-01T10:00:00+01:00", "20240101", "yesterday", "",
])
def test_date_of_illegal_syntax_or_finer_granularity_is_bad_argument(value: str) -> None:
    with pytest.raises(BadArgument, match="not a date"):
        parse_arguments({**LIST, "from": [value]})


def test_from_and_until_of_different_granularity_are_bad_argument() -> None:
    with pytest.raises(BadArgument, match="granularity"):
        parse_arguments({**LIST, "from": ["2024-01-01"], "until": ["2024-01-02T00:00:00Z"]})


def test_from_later_than_until_is_bad_argument() -> None:
    with pytest.raises(BadArgument, match="later"):
        parse_arguments({**LIST, "from": ["2024-01-02"], "until": ["2024-01-01"]})


def test_from_equal_to_until_at_day_granularity_covers_that_whole_day() -> None:
    request = parse_arguments({**LIST, "from": ["2024-01-02"], "until": ["2024-01-02"]})
    assert (request.from_date, request.until_date) == (datetime(2024, 1, 2), datetime(2024, 1, 2, 23, 59, 59))


def test_seconds_granularity_bounds_are_exact() -> None:
    request = parse_arguments({**LIST, "from": ["2024-01-02T03:04:05Z"], "until": ["2024-01-02T03:04:05Z"]})
    assert request.from_date == request.until_date == datetime(2024, 1, 2, 3, 4, 5)


@pytest.mark.parametrize("name", ["identifier", "resumptionToken"])
def test_value_with_a_character_xml_cannot_carry_is_bad_argument(name: str) -> None:
    params = {"verb": ["GetRecord" if name == "identifier" else "ListRecords"], name: ["a\x00b"]}
    if name == "identifier":
        params["metadataPrefix"] = ["lom"]
    with pytest.raises(BadArgument, match="cannot appear in XML"):
        parse_arguments(params)


def test_arguments_with_no_values_count_as_absent() -> None:
    assert parse_arguments({"verb": ["Identify"], "set": []}).echo == (("verb", "Identify"),)


def test_echo_lists_the_verb_and_every_argument_as_given() -> None:
    request = parse_arguments({**LIST, "from": ["2024-01-01"], "set": ["lang:nl"]})
    assert dict(request.echo) == {"verb": "ListRecords", "metadataPrefix": "lom", "from": "2024-01-01", "set": "lang:nl"}
    assert request.echo[0] == ("verb", "ListRecords")


def test_echo_leaves_out_an_identifier_the_schema_would_reject() -> None:
    request = parse_arguments({"verb": ["GetRecord"], "identifier": ["not a uri#at#all"], "metadataPrefix": ["lom"]})
    assert request.identifier == "not a uri#at#all"
    assert dict(request.echo) == {"verb": "GetRecord", "metadataPrefix": "lom"}


def test_echo_keeps_an_identifier_of_the_oai_scheme() -> None:
    request = parse_arguments({"verb": ["ListMetadataFormats"], "identifier": ["oai:other.example.org:a/b%20c"]})
    assert dict(request.echo)["identifier"] == "oai:other.example.org:a/b%20c"
