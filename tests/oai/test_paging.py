"""Paging at the boundaries: 0, 1, page − 1, page, page + 1 and k·page records, for both list verbs."""
from __future__ import annotations

import math
from datetime import datetime, timedelta

import pytest

from tests.oai.conftest import NOW, PAGE, oai_id
from tests.support.catalogue import store_samples
from tests.support.oai import Endpoint, error_codes, harvest, header_identifiers, resumption_token, xpath

SIZES = [1, PAGE - 1, PAGE, PAGE + 1, 3 * PAGE]
VERBS = ["ListRecords", "ListIdentifiers"]


def _harvest(endpoint: Endpoint, verb: str, count: int):  # type: ignore[no-untyped-def]
    store_samples(endpoint.catalogue, range(count), now=NOW)
    return harvest(endpoint, {"verb": verb, "metadataPrefix": "oai_dc"}, now=NOW)


@pytest.mark.parametrize("verb", VERBS)
def test_empty_catalogue_is_no_records_match(endpoint: Endpoint, verb: str) -> None:
    assert error_codes(endpoint.ask({"verb": verb, "metadataPrefix": "lom"}, now=NOW)) == ["noRecordsMatch"]


@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("count", SIZES)
def test_every_record_is_listed_once_in_order(endpoint: Endpoint, verb: str, count: int) -> None:
    pages = _harvest(endpoint, verb, count)
    assert len(pages) == math.ceil(count / PAGE)
    assert [i for page in pages for i in header_identifiers(page)] == [oai_id(i) for i in range(count)]
    if verb == "ListRecords":
        assert sum(len(xpath(page, "//oai:metadata")) for page in pages) == count


@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("count", [1, PAGE - 1, PAGE])
def test_list_that_fits_one_page_has_no_token(endpoint: Endpoint, verb: str, count: int) -> None:
    (page,) = _harvest(endpoint, verb, count)
    assert resumption_token(page) is None


@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("count", [PAGE + 1, 3 * PAGE])
def test_split_list_carries_size_and_cursor_and_ends_with_an_empty_token(endpoint: Endpoint, verb: str, count: int) -> None:
    pages = _harvest(endpoint, verb, count)
    tokens = [resumption_token(page) for page in pages]
    assert all(token is not None and token.complete_list_size == count for token in tokens)
    assert [token.cursor for token in tokens] == [PAGE * n for n in range(len(pages))]  # type: ignore[union-attr]
    assert all(token.value and token.expiration == "2025-03-21T15:09:26Z" for token in tokens[:-1])  # type: ignore[union-attr]
    assert (tokens[-1].value, tokens[-1].expiration) == ("", None)  # type: ignore[union-attr]


def test_token_resumes_with_the_format_and_selection_of_the_first_request(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, range(20), now=NOW)
    pages = harvest(endpoint, {"verb": "ListRecords", "metadataPrefix": "lom", "set": "lang:nl"}, now=NOW)
    assert len(pages) > 1
    assert all(xpath(page, "//oai:metadata/oai_dc:dc") == [] for page in pages)
    assert all("lang:nl" in xpath(record, "oai:header/oai:setSpec/text()")
               for page in pages for record in xpath(page, "//oai:record"))


def test_token_is_refused_after_its_lifetime(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, range(PAGE + 1), now=NOW)
    token = resumption_token(endpoint.ask({"verb": "ListIdentifiers", "metadataPrefix": "lom"}, now=NOW))
    assert token is not None
    later = NOW + endpoint.settings.token_lifetime
    params = {"verb": "ListIdentifiers", "resumptionToken": token.value}
    assert header_identifiers(endpoint.ask(params, now=later)) == [oai_id(PAGE)]
    assert error_codes(endpoint.ask(params, now=later + timedelta(seconds=1))) == ["badResumptionToken"]


def test_token_of_one_list_verb_is_refused_by_the_other(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, range(PAGE + 1), now=NOW)
    token = resumption_token(endpoint.ask({"verb": "ListIdentifiers", "metadataPrefix": "lom"}, now=NOW))
    assert token is not None
    root = endpoint.ask({"verb": "ListRecords", "resumptionToken": token.value}, now=NOW)
    assert error_codes(root) == ["badResumptionToken"]


def test_resumed_list_whose_remaining_records_left_the_selection_is_no_records_match(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, range(PAGE + 1), now=datetime(2024, 1, 1))
    first = endpoint.ask({"verb": "ListIdentifiers", "metadataPrefix": "lom", "until": "2024-06-30"}, now=NOW)
    token = resumption_token(first)
    assert token is not None
    store_samples(endpoint.catalogue, [PAGE], seed=1, now=datetime(2024, 7, 1))  # rewritten after `until`
    root = endpoint.ask({"verb": "ListIdentifiers", "resumptionToken": token.value}, now=NOW)
    assert error_codes(root) == ["noRecordsMatch"]
