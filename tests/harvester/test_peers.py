"""The test peers themselves: the fault peer speaks valid OAI-PMH when left alone, pyoai's server serves
our records, and the canaries notice being reached."""
from __future__ import annotations

import pytest
import requests

from metadata import xmlsafe
from tests.support.oai import (
    assert_oai_valid, deleted_identifiers, error_codes, header_identifiers, resumption_token, xpath,
)
from tests.support.peers import (
    EmptyPage, FaultPeer, FileCanary, OAIError, RepeatToken, Status, Canary, pyoai_peer, sample_records,
)

PAGE = 10


def _ask(url: str, **params: str):
    response = requests.get(url, params=params, timeout=10)
    assert response.status_code == 200
    return assert_oai_valid(response.content)


def _harvest(url: str, verb: str = "ListRecords", **params: str) -> list:
    pages = [_ask(url, verb=verb, **params)]
    while (token := resumption_token(pages[-1])) is not None and token.value:
        pages.append(_ask(url, verb=verb, resumptionToken=token.value))
    return pages


def _identifiers(pages: list) -> list[str]:
    return [identifier for page in pages for identifier in header_identifiers(page)]


@pytest.mark.parametrize("count", [1, PAGE - 1, PAGE, PAGE + 1, 3 * PAGE])
def test_fault_peer_pages_every_list_size_validly(count: int) -> None:
    records = sample_records(count)
    with FaultPeer(records, page_size=PAGE) as peer:
        for verb in ("ListRecords", "ListIdentifiers"):
            pages = _harvest(peer.url, verb, metadataPrefix="lom")
            assert _identifiers(pages) == [record.identifier for record in records]
            assert len(pages) == -(-count // PAGE)
            last = resumption_token(pages[-1])
            assert (last is None) if count <= PAGE else (last.value == "" and last.complete_list_size == count)


def test_fault_peer_answers_an_empty_source_with_no_records_match() -> None:
    with FaultPeer([]) as peer:
        assert error_codes(_ask(peer.url, verb="ListRecords", metadataPrefix="lom")) == ["noRecordsMatch"]
        assert error_codes(_ask(peer.url, verb="ListSets")) == ["noSetHierarchy"]


def test_fault_peer_answers_every_verb_validly() -> None:
    records = sample_records(3, sets=lambda index: ("science:physics",) if index else ("arts",))
    with FaultPeer(records) as peer:
        assert xpath(_ask(peer.url, verb="Identify"), "//oai:granularity/text()") == ["YYYY-MM-DDThh:mm:ssZ"]
        assert xpath(_ask(peer.url, verb="ListMetadataFormats"), "//oai:metadataPrefix/text()") == ["lom", "oai_dc"]
        assert xpath(_ask(peer.url, verb="ListSets"), "//oai:setSpec/text()") == ["arts", "science:physics"]
        got = _ask(peer.url, verb="GetRecord", identifier=records[0].identifier, metadataPrefix="oai_dc")
        assert xpath(got, "//oai_dc:dc/dc:title/text()")
        assert error_codes(_ask(peer.url, verb="GetRecord", identifier="oai:nope", metadataPrefix="lom")) == \
            ["idDoesNotExist"]
        assert error_codes(_ask(peer.url, verb="Nonsense")) == ["badVerb"]
        assert error_codes(_ask(peer.url, verb="ListRecords", metadataPrefix="marc")) == ["cannotDisseminateFormat"]
        assert error_codes(_ask(peer.url, verb="ListRecords", resumptionToken="forged")) == ["badResumptionToken"]


def test_fault_peer_selects_by_set_and_dates() -> None:
    records = sample_records(6, sets=lambda index: ("science:physics",) if index % 2 else ("arts",))
    with FaultPeer(records) as peer:
        science = _ask(peer.url, verb="ListIdentifiers", metadataPrefix="lom", set="science")
        assert header_identifiers(science) == [records[i].identifier for i in (1, 3, 5)]
        window = _ask(peer.url, verb="ListIdentifiers", metadataPrefix="lom",
                      **{"from": records[2].datestamp, "until": records[3].datestamp})
        assert header_identifiers(window) == [records[2].identifier, records[3].identifier]


def test_fault_peer_with_day_granularity_refuses_seconds() -> None:
    with FaultPeer(sample_records(2), granularity="YYYY-MM-DD") as peer:
        refused = _ask(peer.url, verb="ListRecords", metadataPrefix="lom", **{"from": "2024-01-01T00:00:00Z"})
        assert error_codes(refused) == ["badArgument"]
        assert len(header_identifiers(_ask(peer.url, verb="ListRecords", metadataPrefix="lom",
                                           **{"from": "2024-01-01"}))) == 2


def test_fault_peer_shows_updates_and_deletions_made_between_runs() -> None:
    records = sample_records(3)
    with FaultPeer(records) as peer:
        peer.catalogue.delete(records[0].identifier, "2024-05-01T00:00:00Z")
        peer.catalogue.put(records[1].__class__(records[1].identifier, "2024-05-02T00:00:00Z", records[1].formats))
        changed = _ask(peer.url, verb="ListRecords", metadataPrefix="lom", **{"from": "2024-05-01T00:00:00Z"})
        assert header_identifiers(changed) == [records[0].identifier, records[1].identifier]
        assert deleted_identifiers(changed) == [records[0].identifier]


def test_fault_peer_logs_every_request_and_what_it_did_not_send() -> None:
    with FaultPeer(sample_records(12)) as peer:
        _harvest(peer.url, metadataPrefix="lom")
        requests.get(peer.url.replace("/oai", "/elsewhere"), timeout=10)
        assert [received.number for received in peer.received] == [1, 2, 3]
        assert [received.path for received in peer.unexpected()] == ["/elsewhere"]


def test_fault_peer_counts_faults_per_request_and_per_page() -> None:
    with FaultPeer(sample_records(25)) as peer:
        peer.inject(Status(500), request=1)
        peer.inject(OAIError("badResumptionToken"), page=3, times=None)
        assert requests.get(peer.url, params={"verb": "Identify"}, timeout=10).status_code == 500
        pages = [_ask(peer.url, verb="ListRecords", metadataPrefix="lom")]
        pages.append(_ask(peer.url, verb="ListRecords", resumptionToken=resumption_token(pages[0]).value))
        for _ in range(2):
            third = _ask(peer.url, verb="ListRecords", resumptionToken=resumption_token(pages[1]).value)
            assert error_codes(third) == ["badResumptionToken"]


def test_fault_peer_can_repeat_a_token_or_loop_on_empty_pages() -> None:
    with FaultPeer(sample_records(25)) as peer:
        peer.inject(RepeatToken(), page=2)
        peer.inject(EmptyPage(), page=3, times=2)
        first = _ask(peer.url, verb="ListIdentifiers", metadataPrefix="lom")
        token = resumption_token(first).value
        assert resumption_token(_ask(peer.url, verb="ListIdentifiers", resumptionToken=token)).value == token
        second = _ask(peer.url, verb="ListIdentifiers", resumptionToken=token)
        answer = requests.get(peer.url, params={"verb": "ListIdentifiers", "resumptionToken": resumption_token(second).value},
                              timeout=10)
        empty = xmlsafe.fromstring(answer.content)  # a list page without headers breaks the schema: that is the fault
        assert header_identifiers(empty) == [] and resumption_token(empty).value not in ("", token)


def test_pyoai_peer_serves_records_deletions_and_pages() -> None:
    records = sample_records(23, sets=lambda index: ("even",) if index % 2 == 0 else ())
    records[4] = records[4].__class__(records[4].identifier, records[4].datestamp, {}, records[4].sets, deleted=True)
    with pyoai_peer(records, page_size=PAGE) as peer:
        pages = _harvest(peer.url, metadataPrefix="lom")
        assert len(pages) == 3 and _identifiers(pages) == [record.identifier for record in records]
        assert [identifier for page in pages for identifier in deleted_identifiers(page)] == [records[4].identifier]
        assert len(xpath(pages[0], "//lom:lom")) == 9
        dc = _harvest(peer.url, metadataPrefix="oai_dc", set="even")
        assert len(_identifiers(dc)) == 12
        assert xpath(_ask(peer.url, verb="Identify"), "//oai:baseURL/text()") == [peer.url]


def test_canaries_notice_being_reached() -> None:
    with Canary() as canary:
        requests.get(canary.url, timeout=10)
        assert canary.hits == ["/secret.dtd"]
    with FileCanary() as canary:
        assert not canary.opened
        with open(canary.path, "rb") as reader:
            assert reader.read() == b"root:x:0:0:canary\n"
        assert canary.opened
