"""oai/provider.py: handle() — status, headers, error bodies, request echo, compression, streaming."""
from __future__ import annotations

import dataclasses
import gzip
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.db import Database
from catalogue.models import Base
from oai.provider import CHUNK_BYTES, choose_coding, handle
from oai.settings import ProviderSettings
from tests.oai.conftest import NOW, PAGE, oai_id
from tests.support.catalogue import delete_samples, store_samples
from tests.support.oai import Endpoint, assert_oai_valid, error_codes, header_identifiers, request_echo, xpath


def test_answer_is_utf8_xml_with_status_200(endpoint: Endpoint) -> None:
    reply = handle({"verb": ["Identify"]}, endpoint.catalogue, endpoint.settings, now=NOW)
    assert reply.status == 200
    assert dict(reply.headers) == {"Content-Type": "text/xml; charset=utf-8", "Vary": "Accept-Encoding"}
    body = b"".join(reply.body_iter)
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert_oai_valid(body)


@pytest.mark.parametrize("params,code", [
    ({}, "badVerb"),
    ({"verb": ["Frobnicate"]}, "badVerb"),
    ({"verb": ["Identify", "ListSets"]}, "badVerb"),
    ({"verb": ["Identify"], "set": ["lang"]}, "badArgument"),
    ({"verb": ["ListRecords"]}, "badArgument"),
    ({"verb": ["ListRecords"], "metadataPrefix": ["lom", "oai_dc"]}, "badArgument"),
    ({"verb": ["ListRecords"], "metadataPrefix": ["lom"], "resumptionToken": ["x"]}, "badArgument"),
    ({"verb": ["GetRecord"], "identifier": ["oai:lectern.example.org:1"]}, "badArgument"),
])
def test_bad_verb_and_bad_argument_answer_200_and_echo_no_attributes(endpoint: Endpoint, params, code) -> None:  # type: ignore[no-untyped-def]
    reply = handle(params, endpoint.catalogue, endpoint.settings, now=NOW)
    assert reply.status == 200
    root = assert_oai_valid(b"".join(reply.body_iter))
    assert error_codes(root) == [code]
    assert request_echo(root) == {}
    assert xpath(root, "string(oai:request)") == "http://lectern.example.org/oai"


def test_other_errors_echo_the_valid_arguments(endpoint: Endpoint) -> None:
    params = {"verb": "ListRecords", "metadataPrefix": "lom", "from": "2030-01-01", "set": "lang:nl"}
    store_samples(endpoint.catalogue, [1], now=NOW)
    root = endpoint.ask(params, now=NOW)
    assert error_codes(root) == ["noRecordsMatch"]
    assert request_echo(root) == params


def test_bad_resumption_token_echoes_verb_and_token(endpoint: Endpoint) -> None:
    root = endpoint.ask({"verb": "ListRecords", "resumptionToken": "not-ours"}, now=NOW)
    assert error_codes(root) == ["badResumptionToken"]
    assert request_echo(root) == {"verb": "ListRecords", "resumptionToken": "not-ours"}


def test_unechoable_identifier_is_left_out_of_the_echo(endpoint: Endpoint) -> None:
    root = endpoint.ask({"verb": "GetRecord", "identifier": "x y#z#", "metadataPrefix": "lom"}, now=NOW)
    assert error_codes(root) == ["idDoesNotExist"]
    assert request_echo(root) == {"verb": "GetRecord", "metadataPrefix": "lom"}


def test_stylesheet_is_named_when_configured(catalogue: Database, provider_settings: ProviderSettings) -> None:
    settings = dataclasses.replace(provider_settings, stylesheet_url="/static/oai.xsl")
    _, body = Endpoint(catalogue, settings).raw({"verb": "Identify"}, now=NOW)
    assert b'<?xml-stylesheet type="text/xsl" href="/static/oai.xsl"?>' in body


@pytest.mark.parametrize("coding,decompress", [("gzip", gzip.decompress), ("deflate", zlib.decompress)])
def test_compressed_answer_decompresses_to_the_plain_answer(endpoint: Endpoint, coding: str, decompress) -> None:  # type: ignore[no-untyped-def]
    store_samples(endpoint.catalogue, range(3), now=NOW)
    params = {"verb": ["ListRecords"], "metadataPrefix": ["lom"]}
    plain = b"".join(handle(params, endpoint.catalogue, endpoint.settings, now=NOW).body_iter)
    reply = handle(params, endpoint.catalogue, endpoint.settings, now=NOW, accept_encoding=coding)
    assert dict(reply.headers)["Content-Encoding"] == coding
    packed = b"".join(reply.body_iter)
    assert len(packed) < len(plain) / 3
    assert decompress(packed) == plain
    assert_oai_valid(plain)


def test_large_page_is_compressed_as_it_streams(catalogue: Database, provider_settings: ProviderSettings) -> None:
    store_samples(catalogue, range(60), now=NOW)
    settings = dataclasses.replace(provider_settings, page_size=100)
    params = {"verb": ["ListRecords"], "metadataPrefix": ["lom"]}
    plain = list(handle(params, catalogue, settings, now=NOW).body_iter)
    packed = list(handle(params, catalogue, settings, now=NOW, accept_encoding="gzip").body_iter)
    assert len(plain) > 2 and all(len(chunk) >= CHUNK_BYTES for chunk in plain[:-1])
    assert len(packed) > 1
    assert gzip.decompress(b"".join(packed)) == b"".join(plain)
    assert_oai_valid(b"".join(plain))


@pytest.mark.parametrize("header,expected", [
    (None, None), ("", None), ("identity", None), ("br", None),
    ("gzip", "gzip"), ("deflate", "deflate"), ("gzip, deflate", "gzip"), ("deflate, gzip", "gzip"),
    ("gzip;q=0.5, deflate", "deflate"), ("GZIP;Q=1", "gzip"), ("gzip;q=0", None), ("*", "gzip"),
    ("*;q=0, deflate", "deflate"), ("gzip;q=0, *", "deflate"), ("gzip;q=nan", None), ("gzip;q=x, deflate;q=0.1", "deflate"),
])
def test_coding_is_the_one_the_client_weighs_highest(header: str | None, expected: str | None) -> None:
    assert choose_coding(header) == expected


def test_every_error_is_decided_before_the_body_streams(endpoint: Endpoint) -> None:
    """The verb's database work is done when handle() returns: the body streams from memory."""
    store_samples(endpoint.catalogue, range(PAGE + 1), now=NOW)
    reply = handle({"verb": ["ListRecords"], "metadataPrefix": ["lom"]}, endpoint.catalogue, endpoint.settings, now=NOW)
    Base.metadata.drop_all(endpoint.catalogue.engine)
    root = assert_oai_valid(b"".join(reply.body_iter))
    assert header_identifiers(root) == [oai_id(i) for i in range(PAGE)]


@pytest.fixture
def filled(endpoint: Endpoint) -> Endpoint:
    """An endpoint over a catalogue with a page and a half of records, one of them deleted."""
    store_samples(endpoint.catalogue, range(PAGE + 3), now=NOW)
    delete_samples(endpoint.catalogue, [2], now=NOW)
    return endpoint


_WIRE = ["verb", "identifier", "metadataPrefix", "from", "until", "set", "resumptionToken"]
_VALUES = st.one_of(
    st.sampled_from(["Identify", "ListRecords", "ListIdentifiers", "ListSets", "GetRecord", "ListMetadataFormats",
                     "lom", "oai_dc", "lang", "lang:nl", "2024-01-01", "2024-01-01T00:00:00Z", oai_id(1)]),
    st.text(max_size=30),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.one_of(st.sampled_from(_WIRE), st.text(max_size=10)), st.lists(_VALUES, max_size=3), max_size=5))
def test_any_arguments_get_a_schema_valid_answer(filled: Endpoint, params: dict[str, list[str]]) -> None:
    reply = handle(params, filled.catalogue, filled.settings, now=NOW)
    assert reply.status == 200
    assert_oai_valid(b"".join(reply.body_iter))
