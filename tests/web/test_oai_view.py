"""`/oai` over HTTP: GET and POST, compression, the stylesheet, and 503 flow control."""
from __future__ import annotations

import gzip
import zlib
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from flask.testing import FlaskClient

from catalogue.db import Database
from tests.support.catalogue import delete_samples, store_samples
from tests.support.oai import assert_oai_valid, deleted_identifiers, error_codes, header_identifiers, resumption_token, xpath
from tests.support.records import record_id
from web import create_app, state

from .conftest import HARVEST_LIMIT, PAGE

NOW = datetime(2025, 2, 3, 4, 5, 6)


def _oai_id(index: int) -> str:
    return f"oai:lectern.example.org:{record_id(index)}"


def _harvest(client: FlaskClient, method: str, **params: str) -> list[str]:
    """Every header identifier of a list request, following tokens with the same HTTP method."""
    send = client.get if method == "GET" else client.post
    found: list[str] = []
    arguments = dict(params)
    while True:
        response = send("/oai", query_string=arguments) if method == "GET" else send("/oai", data=arguments)
        assert response.status_code == 200
        root = assert_oai_valid(response.data)
        found += header_identifiers(root)
        token = resumption_token(root)
        if token is None or not token.value:
            return found
        arguments = {"verb": params["verb"], "resumptionToken": token.value}


def test_get_identify_derives_the_base_url_from_the_request(client: FlaskClient) -> None:
    response = client.get("/oai?verb=Identify")
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    root = assert_oai_valid(response.data)
    assert xpath(root, "oai:Identify/oai:baseURL/text()") == ["http://localhost/oai"]
    assert xpath(root, "oai:Identify/oai:repositoryName/text()") == ["Test Shelf"]


def test_the_configured_base_url_wins_over_the_request(catalogue: Database, instance_folder: Path) -> None:
    app = create_app({"database_url": catalogue.url, "base_url": "https://oer.example.org/oai"}, instance=instance_folder)
    root = assert_oai_valid(app.test_client().get("/oai?verb=Identify").data)
    state.close(app)
    assert xpath(root, "oai:Identify/oai:baseURL/text()") == ["https://oer.example.org/oai"]


def test_get_and_post_harvest_the_same_identifiers_across_pages(client: FlaskClient, catalogue: Database) -> None:
    store_samples(catalogue, range(PAGE * 2 + 1), now=NOW)
    delete_samples(catalogue, [3], now=NOW)
    by_get = _harvest(client, "GET", verb="ListIdentifiers", metadataPrefix="oai_dc")
    by_post = _harvest(client, "POST", verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert sorted(by_get) == sorted(by_post) == [_oai_id(index) for index in range(PAGE * 2 + 1)]


def test_post_keeps_repeated_arguments_and_gets_an_oai_error_with_status_200(client: FlaskClient) -> None:
    response = client.post("/oai", data="verb=Identify&verb=Identify",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert error_codes(assert_oai_valid(response.data)) == ["badVerb"]


def test_post_ignores_the_query_string(client: FlaskClient) -> None:
    response = client.post("/oai?verb=Identify", data={})
    assert error_codes(assert_oai_valid(response.data)) == ["badVerb"]


def test_an_unknown_verb_is_an_oai_error_with_status_200(client: FlaskClient) -> None:
    response = client.get("/oai?verb=Dance")
    assert response.status_code == 200
    assert error_codes(assert_oai_valid(response.data)) == ["badVerb"]


def test_gzip_is_sent_when_asked_for(client: FlaskClient, catalogue: Database) -> None:
    store_samples(catalogue, range(3), now=NOW)
    response = client.get("/oai?verb=ListRecords&metadataPrefix=lom", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    body = gzip.decompress(response.data)
    assert len(response.data) < len(body) / 2
    assert len(header_identifiers(assert_oai_valid(body))) == 3


def test_deflate_is_sent_when_asked_for(client: FlaskClient) -> None:
    response = client.get("/oai?verb=Identify", headers={"Accept-Encoding": "deflate"})
    assert response.headers["Content-Encoding"] == "deflate"
    assert_oai_valid(zlib.decompress(response.data))


def test_no_compression_unless_asked(client: FlaskClient) -> None:
    response = client.get("/oai?verb=Identify")
    assert "Content-Encoding" not in response.headers
    assert response.headers["Vary"] == "Accept-Encoding"


def test_deleted_records_are_reported_as_deleted(client: FlaskClient, catalogue: Database) -> None:
    store_samples(catalogue, range(3), now=NOW)
    delete_samples(catalogue, [1], now=NOW)
    root = assert_oai_valid(client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc").data)
    assert deleted_identifiers(root) == [_oai_id(1)]


def test_responses_name_the_stylesheet_served_beside_them(client: FlaskClient) -> None:
    body = client.get("/oai?verb=Identify").data
    assert b'<?xml-stylesheet type="text/xsl" href="/static/oai.xsl"?>' in body.split(b"<OAI-PMH", 1)[0]
    with client.get("/static/oai.xsl") as stylesheet:
        assert stylesheet.status_code == 200
        assert b"<xsl:stylesheet" in stylesheet.data


def test_more_concurrent_responses_than_the_limit_get_503_with_retry_after(client: FlaskClient,
                                                                           catalogue: Database) -> None:
    store_samples(catalogue, range(2), now=NOW)
    streaming = [client.get("/oai?verb=ListRecords&metadataPrefix=lom", buffered=False) for _ in range(HARVEST_LIMIT)]
    refused = client.get("/oai?verb=ListRecords&metadataPrefix=lom")
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "7"
    assert refused.mimetype == "text/plain"
    assert b"retry in 7 seconds" in refused.data
    for response in streaming:
        assert response.status_code == 200
        assert_oai_valid(b"".join(response.response))
        response.close()


def test_a_closed_response_gives_its_slot_back(client: FlaskClient, catalogue: Database) -> None:
    store_samples(catalogue, range(2), now=NOW)
    held = [client.get("/oai?verb=Identify", buffered=False) for _ in range(HARVEST_LIMIT)]
    held[0].close()
    admitted = client.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc")
    assert admitted.status_code == 200
    assert len(header_identifiers(assert_oai_valid(admitted.data))) == 2
    assert_oai_valid(b"".join(held[1].response))
    held[1].close()


def test_many_sequential_requests_never_run_out_of_slots(client: FlaskClient) -> None:
    for _ in range(HARVEST_LIMIT * 3):
        response = client.get("/oai?verb=Identify")
        assert response.status_code == 200
        assert_oai_valid(response.data)


def test_a_streamed_body_read_to_the_end_is_the_whole_response(client: FlaskClient, catalogue: Database) -> None:
    store_samples(catalogue, range(3), now=NOW)
    response = client.get("/oai?verb=ListRecords&metadataPrefix=lom", buffered=False)
    body = b"".join(response.response)
    response.close()
    assert len(header_identifiers(assert_oai_valid(body))) == 3


def test_only_get_and_post_are_allowed(client: FlaskClient) -> None:
    assert client.put("/oai?verb=Identify").status_code == 405


def test_the_app_refuses_a_concurrency_limit_below_one(catalogue: Database, instance_folder: Path) -> None:
    with pytest.raises(ValueError, match="max_concurrent_harvests must be at least 1"):
        create_app({"database_url": catalogue.url, "max_concurrent_harvests": 0}, instance=instance_folder)


_WIRE_WORDS = ["verb", "Identify", "ListRecords", "ListIdentifiers", "ListSets", "ListMetadataFormats", "GetRecord",
               "metadataPrefix", "lom", "oai_dc", "set", "lang:nl", "from", "until", "2025-01-01", "identifier",
               "resumptionToken", "&", "=", "%", "%ZZ", "%00", "+", ";", "\x00", "é", "\ud7ff"]
_QUERIES = st.lists(st.one_of(st.sampled_from(_WIRE_WORDS), st.text(max_size=8)), max_size=12).map("".join)
_CONTENT_TYPES = st.sampled_from(["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=latin-1",
                                  "multipart/form-data; boundary=x", "text/xml", "application/octet-stream", ""])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=_QUERIES)
def test_any_query_string_gets_a_schema_valid_answer_with_status_200(client: FlaskClient, query: str) -> None:
    response = client.get("/oai", query_string=query)
    assert response.status_code == 200
    assert_oai_valid(response.data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(_QUERIES.map(str.encode), st.binary(max_size=64)),
       content_type=_CONTENT_TYPES)
def test_any_post_body_gets_a_schema_valid_answer_with_status_200(client: FlaskClient, body: bytes,
                                                                  content_type: str) -> None:
    response = client.post("/oai", data=body, content_type=content_type)
    assert response.status_code == 200
    assert_oai_valid(response.data)
