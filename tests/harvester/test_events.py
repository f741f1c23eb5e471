"""harvester.events: the streaming parser on the corpus, on generated pages, and on what the fault peer sends."""
from __future__ import annotations

import gc
import io
import subprocess
import sys
import time
import weakref
from pathlib import Path

import pytest

from harvester import events, feed
from harvester.errors import MalformedRecord, NotOAIResponse, RecordTooLarge
from harvester.http import Fetcher
from metadata import xmlsafe
from metadata.errors import NotWellFormedError, UnsafeXMLError
from metadata.namespaces import IMSMD_V1P2, LOM, OAI_PMH
from tests.conftest import CHECKOUT, CORPUS
from tests.support.documents import oai_list_records
from tests.support.peers import (
    IMSMD_FORMAT, OAI_DC_FORMAT, Canary, Doctype, FaultPeer, FileCanary, Html, OAIError, PeerRecord, Truncate,
    entity_bomb, external_entity, sample_records, with_illegal_characters,
)
from tests.support.records import generate_records
from tests.support.streams import ListRecordsStream, pool

OAI_FILES = sorted((CORPUS / "oai").rglob("*.xml"))
DOCUMENTED = (NotOAIResponse, NotWellFormedError, UnsafeXMLError)
SPEC = CORPUS / "oai" / "openarchives-spec"


def _events(path: Path) -> list[events.Event]:
    return list(events.parse(path.read_bytes()))


def _of(kind: type, found: list[events.Event]) -> list:
    return [event for event in found if isinstance(event, kind)]


@pytest.fixture
def fetcher() -> Fetcher:
    with Fetcher(max_retries=0, read_timeout=5) as opened:
        yield opened


def _page(fetcher: Fetcher, peer: FaultPeer, **params: str) -> bytes:
    with fetcher.fetch(peer.url, params) as page:
        return page.body.read()


# -- the corpus -----------------------------------------------------------------------------

@pytest.mark.parametrize("path", OAI_FILES, ids=lambda path: path.name)
def test_every_corpus_response_parses_or_raises_a_documented_error(path: Path) -> None:
    try:
        found = _events(path)
    except DOCUMENTED:
        return
    assert isinstance(found[0], events.ResponseDate) and found[0].value
    assert isinstance(found[1], events.RequestEcho)
    assert len(found) > 2, "a response says something besides its date and request"


def test_response_without_namespace_is_not_oai() -> None:
    path = CORPUS / "oai" / "invenio-oaiharvester" / "tests__data__sample_arxiv_response_no_namespace.xml"
    with pytest.raises(NotOAIResponse, match="no namespace") as raised:
        _events(path)
    assert OAI_PMH in raised.value.reason


def test_whitespace_before_the_xml_declaration_is_tolerated() -> None:
    path = CORPUS / "oai" / "europeana-metis" / "test__resources__oaiListIdentifiersIncorrectMetadataPrefix.xml"
    assert path.read_bytes()[:1].isspace()
    assert _of(events.ErrorEvent, _events(path)) == [events.ErrorEvent("cannotDisseminateFormat", "Wrong metadata prefix.")]


def test_spec_identify_fields_come_out() -> None:
    (info,) = _of(events.IdentifyInfo, _events(SPEC / "OAI__2.0__ex-sec4.2.xml"))
    assert info.repository_name == "Library of Congress Open Archive Initiative Repository 1"  # line break folded
    assert info.base_url == "http://memory.loc.gov/cgi-bin/oai"
    assert info.protocol_version == "2.0"
    assert info.admin_emails == ("somebody@loc.gov", "anybody@loc.gov")
    assert info.earliest_datestamp == "1990-02-01T12:00:00Z"
    assert info.deleted_record == "transient"
    assert info.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert info.compression == ("deflate",)


def test_spec_list_identifiers_gives_headers_deleted_flags_and_token() -> None:
    found = _events(SPEC / "OAI__2.0__ex-sec4.3a.xml")
    headers = _of(events.Header, found)
    assert len(headers) == 4
    deleted = [header for header in headers if header.deleted]
    assert [header.identifier for header in deleted] == ["oai:arXiv.org:hep-th/9801010"]
    assert deleted[0].datestamp == "1999-02-23" and deleted[0].set_specs == ("physic:hep", "math")
    assert found[-1] == events.Token("xxx45abttyz", 6, 0, "2002-06-01T23:20:00Z")


def test_spec_last_page_has_an_empty_token_with_its_counts() -> None:
    found = _events(SPEC / "OAI__2.0__ex-sec4.3b.xml")
    assert found[-1] == events.Token("", 6, 4, None)
    assert _of(events.RequestEcho, found)[0].arguments == {"verb": "ListIdentifiers", "resumptionToken": "xxx45abttyz"}


@pytest.mark.parametrize("name,code,message", [
    ("OAI__2.0__ex-sec3.6a.xml", "badVerb", "Illegal OAI verb"),
    ("OAI__2.0__ex-sec4.1b.xml", "idDoesNotExist", "No matching identifier in arXiv"),
    ("OAI__2.0__ex-sec4.1c.xml", "cannotDisseminateFormat", ""), ("OAI__2.0__ex-sec4.3c.xml", "noRecordsMatch", ""),
])
def test_spec_errors_come_out_with_their_code(name: str, code: str, message: str) -> None:
    assert _of(events.ErrorEvent, _events(SPEC / name)) == [events.ErrorEvent(code, message)]


def test_spec_records_carry_metadata_and_about() -> None:
    (record,) = _of(events.Record, _events(SPEC / "OAI__2.0__ex-sec2.5.xml"))
    assert record.header.identifier == "oai:arXiv:cs/0112017"
    assert record.metadata is not None and record.metadata.tag.endswith("}dc")
    assert len(record.abouts) == 1 and b"xmlns" in record.abouts[0]


def test_spec_deleted_record_has_no_metadata() -> None:
    records = _of(events.Record, _events(SPEC / "OAI__2.0__ex-sec4.5a.xml"))
    assert [record.header.deleted for record in records] == [False, True]
    assert records[1].metadata is None


def test_unparseable_complete_list_size_is_none() -> None:
    path = CORPUS / "oai" / "europeana-metis" / "test__resources__oaiListIdentifiersIncorrectCompleteListSize.xml"
    assert _of(events.Token, _events(path)) == [events.Token("edm:smvk-mm:*:*:50:2932", None, 50, "2017-11-15T13:30:03Z")]


def test_header_without_identifier_skips_only_its_record() -> None:
    found = _events(CORPUS / "oai" / "sickle" / "tests__sample_data__ListRecords4.xml")
    skipped, record = _of(events.SkippedRecord, found), _of(events.Record, found)
    assert len(skipped) == 1 and isinstance(skipped[0].error, MalformedRecord)
    assert "without identifier" in str(skipped[0].error)
    assert [item.header.identifier for item in record] == ["oai:test.example.com:1585322"]


def test_list_sets_and_formats_give_their_fields() -> None:
    sets = _of(events.SetInfo, _events(SPEC / "OAI__2.0__ex-sec4.6a.xml"))
    assert events.SetInfo("music", "Music collection") in sets
    formats = _of(events.MetadataFormat, _events(SPEC / "OAI__2.0__ex-sec4.4b.xml"))
    assert formats[0] == events.MetadataFormat("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
                                               "http://www.openarchives.org/OAI/2.0/oai_dc/")


# -- impostors and hostile documents ----------------------------------------------------------

@pytest.mark.parametrize("body,reason", [
    (b"", "empty"), (b"   \n", "empty"), (b'{"error": "down"}', "not XML"), (b"Service Unavailable", "not XML"),
    (b"<!DOCTYPE html><html><body><p>Oops<br></body></html>", "HTML"),
    (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', "HTML"),
    (b"<rss><channel/></rss>", "no OAI-PMH"),
    (b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/1.1/OAI_ListRecords"><responseDate>x</responseDate></OAI-PMH>',
     "no OAI-PMH 2.0"),
    (b'<feed xmlns:o="' + OAI_PMH.encode() + b'"><o:responseDate>x</o:responseDate></feed>', "root element is feed"),
])
def test_impostors_are_named_not_oai(body: bytes, reason: str) -> None:
    with pytest.raises(NotOAIResponse, match=reason) as raised:
        list(events.parse(body, url="http://peer.example/oai?verb=Identify"))
    assert raised.value.url == "http://peer.example/oai?verb=Identify"


def test_entity_declarations_are_refused() -> None:
    body = oai_list_records([]).replace(b"?>", b'?><!DOCTYPE OAI-PMH [<!ENTITY a "b">]>', 1)
    with pytest.raises(UnsafeXMLError):
        list(events.parse(body))


def test_truncated_xml_is_not_well_formed() -> None:
    body = oai_list_records(list(generate_records(3)))
    with pytest.raises(NotWellFormedError):
        list(events.parse(body[: len(body) // 2]))


# -- streaming, size bounds, recovery -------------------------------------------------------

def test_records_arrive_before_the_page_is_read_whole() -> None:
    stream = ListRecordsStream(2_000, pool(5))
    parsed = events.parse(stream)
    while not isinstance(next(parsed), events.Record):
        pass
    assert stream.size < 200_000  # about a tenth of the ten-megabyte page


def test_metadata_element_is_the_record_itself() -> None:
    records = _of(events.Record, list(events.parse(oai_list_records(list(generate_records(2))))))
    assert [record.metadata.tag for record in records] == [f"{{{LOM}}}lom"] * 2
    assert records[0].header == events.Header("oai:x:0", "2024-01-01", (), False)


def test_record_past_the_size_bound_is_skipped_and_the_page_goes_on() -> None:
    records = list(generate_records(3))
    big = b"<keyword><string>" + b"w " * 200_000 + b"</string></keyword></general>"
    records[1] = records[1].replace(b"</general>", big, 1)
    found = list(events.parse(oai_list_records(records), max_record_bytes=100_000))
    assert [type(event).__name__ for event in found[2:]] == ["Record", "SkippedRecord", "Record"]
    error = found[3].error
    assert isinstance(error, RecordTooLarge) and error.identifier == "oai:x:1" and error.limit == 100_000
    assert found[4].header.identifier == "oai:x:2" and found[4].metadata is not None


def test_a_bound_below_the_read_size_still_tells_ordinary_records_from_large_ones() -> None:
    """An operator may bound records at 16 KiB: 5 KB records pass, a 40 KB one is skipped (records
    were once measured per 64 KiB read, so every record looked too large under such a bound)."""
    records = list(generate_records(30))
    records[20] = records[20].replace(b"</general>", b"<keyword><string>" + b"w " * 20_000
                                      + b"</string></keyword></general>", 1)
    found = list(events.parse(oai_list_records(records), max_record_bytes=16 * 1024))
    skipped = _of(events.SkippedRecord, found)
    assert len(_of(events.Record, found)) == 29
    assert [event.header.identifier for event in skipped] == ["oai:x:20"]


def test_record_made_of_many_elements_is_pruned_while_it_is_parsed() -> None:
    keywords = b"".join(b"<keyword><string>k%d</string></keyword>" % index for index in range(60_000))
    record = next(iter(generate_records(1))).replace(b"</general>", keywords + b"</general>", 1)
    found = list(events.parse(oai_list_records([record]), max_record_bytes=200_000))
    assert isinstance(found[-1], events.SkippedRecord) and found[-1].header.identifier == "oai:x:0"


def test_illegal_characters_are_refused_unless_stripping() -> None:
    records = list(generate_records(3))
    records[1] = records[1].replace(b"</string>", b"\x0b&#x1F;</string>", 1)
    body = oai_list_records(records)
    with pytest.raises(NotWellFormedError):
        list(events.parse(body))
    found = _of(events.Record, list(events.parse(body, strip_illegal=True)))
    assert [record.illegal_characters for record in found] == [0, 2, 0]
    assert "\ue000" not in "".join(found[1].metadata.itertext())


def test_stripping_handles_a_reference_cut_between_reads() -> None:
    body = oai_list_records(list(generate_records(40)))
    boundary = feed.HEAD_SIZE + feed.READ_SIZE  # where the second read of the stream ends
    start = boundary - 3  # "&#x" in one read, "0B;" in the next
    text_end = body.rindex(b"</string>", 0, start)
    body = body[:text_end] + b" " * (start - text_end) + b"&#x0B;" + body[text_end:]
    assert body[start:start + 6] == b"&#x0B;"
    found = _of(events.Record, list(events.parse(body, strip_illegal=True)))
    assert len(found) == 40
    assert sorted(record.illegal_characters for record in found)[-2:] == [0, 1]


def _peak_kib(stream: str, expect: str) -> int:
    """Peak RSS of a fresh process parsing `stream` (libxml2's memory is invisible to tracemalloc)."""
    code = ("from harvester import events; from tests.support.streams import *;"
            f"found = [type(e).__name__ for e in events.parse({stream}, max_record_bytes=1_000_000)"
            " if isinstance(e, (events.Record, events.SkippedRecord))];"
            f"assert {expect}, found[:3];"
            "print([line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM')][0])")
    done = subprocess.run([sys.executable, "-c", code], cwd=CHECKOUT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip())


def test_memory_stays_flat_from_thousands_to_tens_of_thousands_of_records() -> None:
    expect = "found == ['Record'] * {}"
    small = _peak_kib("ListRecordsStream(4_000, pool())", expect.format(4_000))  # about 21 MB of XML
    large = _peak_kib("ListRecordsStream(40_000, pool())", expect.format(40_000))  # about 210 MB
    assert large - small < 8 * 1024, f"peak RSS grew from {small} KiB to {large} KiB"


def test_memory_of_an_oversized_record_stays_near_its_bound() -> None:
    expect = "found == ['SkippedRecord', 'Record']"
    small = _peak_kib("LargeRecordStream(50_000)", expect)  # 2 MB of small elements
    large = _peak_kib("LargeRecordStream(500_000)", expect)  # 20 MB, some 200 MB as a tree
    assert large - small < 8 * 1024, f"peak RSS grew from {small} KiB to {large} KiB"


def test_parse_costs_little_more_than_lxml_alone() -> None:
    """Filtering lxml's events to a few OAI-PMH tags keeps the Python side small; asking for every
    element would double the time, which this ratio (measured in CPU time, best of three) catches."""
    body = oai_list_records(list(generate_records(1_500)))
    record = f"{{{OAI_PMH}}}record"

    def bare() -> None:
        for _, element in xmlsafe.iterparse(io.BytesIO(body), ("end",), record):
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]

    def ours() -> None:
        for _ in events.parse(body):
            pass

    def best(run) -> float:
        times = []
        for _ in range(3):
            start = time.process_time()
            run()
            times.append(time.process_time() - start)
        return min(times)
    ratio = best(ours) / best(bare)
    assert ratio < 1.5, f"events.parse takes {ratio:.2f}x a bare iterparse pass"


def test_arguments_use_wire_names_and_leave_out_none() -> None:
    assert events.arguments("ListRecords", metadata_prefix="lom", from_date="2024-01-01", until_date=None,
                            set_spec="a:b") == {"verb": "ListRecords", "metadataPrefix": "lom",
                                                "from": "2024-01-01", "set": "a:b"}
    assert events.arguments("GetRecord", identifier="oai:x:1", metadata_prefix="lom") == \
        {"verb": "GetRecord", "identifier": "oai:x:1", "metadataPrefix": "lom"}


def test_a_resumption_token_is_sent_alone() -> None:
    assert events.arguments("ListRecords", metadata_prefix="lom", set_spec="a", resumption_token="t") == \
        {"verb": "ListRecords", "resumptionToken": "t"}


# -- what the fault peer sends ----------------------------------------------------------------

def test_html_page_with_status_200_is_not_oai(fetcher: Fetcher) -> None:
    with FaultPeer(sample_records(2)) as peer:
        peer.inject(Html(), request=1)
        with pytest.raises(NotOAIResponse, match="HTML"):
            list(events.parse(_page(fetcher, peer, verb="Identify")))


def test_truncated_page_from_the_peer_is_not_well_formed(fetcher: Fetcher) -> None:
    with FaultPeer(sample_records(5)) as peer:
        peer.inject(Truncate(0.6), request=1)
        with pytest.raises(NotWellFormedError):
            list(events.parse(_page(fetcher, peer, verb="ListRecords", metadataPrefix="lom")))


def test_external_entity_to_a_local_file_is_never_read(fetcher: Fetcher) -> None:
    with FileCanary() as canary, FaultPeer(sample_records(2)) as peer:
        peer.inject(external_entity(canary.url), request=1)
        with pytest.raises(UnsafeXMLError):
            list(events.parse(_page(fetcher, peer, verb="ListRecords", metadataPrefix="lom")))
        time.sleep(0.2)
        assert not canary.opened


def test_external_entity_to_an_http_url_is_never_fetched(fetcher: Fetcher) -> None:
    with Canary() as canary, FaultPeer(sample_records(2)) as peer:
        peer.inject(external_entity(canary.url), request=1)
        peer.inject(Doctype(f'<!ENTITY % remote SYSTEM "{canary.url}"> %remote;', "x"), request=2)
        for _ in range(2):
            with pytest.raises((UnsafeXMLError, NotWellFormedError)):
                list(events.parse(_page(fetcher, peer, verb="ListRecords", metadataPrefix="lom")))
        assert canary.hits == []
        assert [received.path for received in peer.received] == ["/oai", "/oai"]


def test_entity_expansion_bomb_is_refused_quickly(fetcher: Fetcher) -> None:
    with FaultPeer(sample_records(2)) as peer:
        peer.inject(entity_bomb(), request=1)
        body = _page(fetcher, peer, verb="ListRecords", metadataPrefix="lom")
        start = time.monotonic()
        with pytest.raises(UnsafeXMLError):
            list(events.parse(body))
        assert time.monotonic() - start < 1


def test_bad_resumption_token_mid_list_is_an_error_event(fetcher: Fetcher) -> None:
    with FaultPeer(sample_records(25)) as peer:
        peer.inject(OAIError("badResumptionToken"), page=2)
        first = list(events.parse(_page(fetcher, peer, verb="ListRecords", metadataPrefix="lom")))
        token = _of(events.Token, first)[0]
        assert len(_of(events.Record, first)) == 10 and token.value and token.complete_list_size == 25
        second = list(events.parse(_page(fetcher, peer, verb="ListRecords", resumptionToken=token.value)))
        assert _of(events.ErrorEvent, second)[0].code == "badResumptionToken"


def test_day_granularity_and_deletions_come_through(fetcher: Fetcher) -> None:
    records = sample_records(3)
    with FaultPeer(records, granularity="YYYY-MM-DD") as peer:
        peer.catalogue.delete(records[1].identifier, "2024-02-01T00:00:00Z")
        (info,) = _of(events.IdentifyInfo, list(events.parse(_page(fetcher, peer, verb="Identify"))))
        assert info.granularity == "YYYY-MM-DD" and info.earliest_datestamp == "2024-01-01"
        found = _of(events.Record, list(events.parse(_page(fetcher, peer, verb="ListRecords", metadataPrefix="lom"))))
        assert [(r.header.deleted, r.metadata is None) for r in found] == [(False, False), (False, False), (True, True)]
        assert found[2].header.datestamp == "2024-02-01"


def test_legacy_namespace_and_dc_only_sources_give_their_elements(fetcher: Fetcher) -> None:
    legacy = PeerRecord("oai:peer:legacy", "2024-01-01T00:00:00Z",
                        {"lom": f'<lom xmlns="{IMSMD_V1P2}"><general/></lom>'.encode()})
    with FaultPeer([legacy], formats=(IMSMD_FORMAT,)) as peer:
        (record,) = _of(events.Record, list(events.parse(_page(fetcher, peer, verb="ListRecords", metadataPrefix="lom"))))
        assert record.metadata.tag == f"{{{IMSMD_V1P2}}}lom"
    with FaultPeer(sample_records(2, formats=("oai_dc",)), formats=(OAI_DC_FORMAT,)) as peer:
        formats = _of(events.MetadataFormat, list(events.parse(_page(fetcher, peer, verb="ListMetadataFormats"))))
        assert [item.prefix for item in formats] == ["oai_dc"]


def test_illegal_characters_from_the_peer_are_counted_on_their_record(fetcher: Fetcher) -> None:
    records = sample_records(3)
    records[2] = with_illegal_characters(records[2])
    with FaultPeer(records) as peer:
        body = _page(fetcher, peer, verb="ListRecords", metadataPrefix="lom")
    with pytest.raises(NotWellFormedError):
        list(events.parse(body))
    found = _of(events.Record, list(events.parse(body, strip_illegal=True)))
    assert [record.illegal_characters for record in found] == [0, 0, 2]


def test_empty_source_answers_no_records_match(fetcher: Fetcher) -> None:
    with FaultPeer([]) as peer:
        found = list(events.parse(_page(fetcher, peer, verb="ListRecords", metadataPrefix="lom")))
        assert _of(events.ErrorEvent, found) == [events.ErrorEvent("noRecordsMatch", "no records match")]


def test_a_parsed_page_is_freed_at_once_not_by_the_cyclic_collector() -> None:
    """A harvest parses page after page: one whose body (and tree) waited for Python's cyclic
    collector kept tens of megabytes more alive in every harvesting process, growing with the run."""
    body = io.BytesIO(oai_list_records(list(generate_records(3))))
    freed = weakref.ref(body)
    gc.collect()
    gc.disable()
    try:
        assert len(_of(events.Record, list(events.parse(body)))) == 3
        del body
        assert freed() is None
    finally:
        gc.enable()
