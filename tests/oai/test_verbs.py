"""oai/verbs.py: each verb's answer over a real catalogue (SQLite, and PostgreSQL when configured)."""
from __future__ import annotations

import dataclasses
from datetime import datetime

from sqlalchemy import update

from catalogue import collections, records
from catalogue.db import Database
from catalogue.models import Item, SetInfo
from metadata.provenance import Origin
from metadata.samples import generate_record, record_id
from metadata.xmlsafe import fromstring
from oai.settings import ProviderSettings
from tests.oai.conftest import NOW, PAGE, oai_id
from tests.support.catalogue import delete_samples, store_samples
from tests.support.oai import (
    Endpoint,
    deleted_identifiers,
    error_codes,
    harvest,
    header_identifiers,
    request_echo,
    resumption_token,
    xpath,
)

# Sample records 1, 3, 4, 7 and 8 are in lang:nl; 0 and 6 in lang:fr; 2 in lang:de (metadata.samples, seed 0).
NL, FR = 1, 0


def test_identify_describes_the_repository(endpoint: Endpoint) -> None:
    root = endpoint.ask({"verb": "Identify"}, now=NOW)
    identify = xpath(root, "oai:Identify")[0]
    assert xpath(identify, "string(oai:repositoryName)") == "Lectern test repository"
    assert xpath(identify, "string(oai:baseURL)") == "http://lectern.example.org/oai"
    assert xpath(identify, "string(oai:protocolVersion)") == "2.0"
    assert xpath(identify, "oai:adminEmail/text()") == ["oai@lectern.example.org"]
    assert xpath(identify, "string(oai:deletedRecord)") == "persistent"
    assert xpath(identify, "string(oai:granularity)") == "YYYY-MM-DDThh:mm:ssZ"
    assert xpath(identify, "oai:compression/text()") == ["gzip", "deflate"]
    assert xpath(identify, "string(.//oai-identifier:repositoryIdentifier)") == "lectern.example.org"
    assert xpath(identify, ".//friends:friends") == []


def test_identify_of_an_empty_catalogue_gives_the_fallback_earliest_datestamp(endpoint: Endpoint) -> None:
    root = endpoint.ask({"verb": "Identify"}, now=NOW)
    assert xpath(root, "string(//oai:earliestDatestamp)") == "2000-01-01T00:00:00Z"


def test_identify_gives_the_oldest_datestamp_of_the_catalogue(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, [1], now=datetime(2021, 5, 6, 7, 8, 9))
    store_samples(endpoint.catalogue, [2], now=datetime(2023, 1, 1))
    root = endpoint.ask({"verb": "Identify"}, now=NOW)
    assert xpath(root, "string(//oai:earliestDatestamp)") == "2021-05-06T07:08:09Z"


def test_identify_names_configured_partners_as_friends(catalogue: Database, provider_settings: ProviderSettings) -> None:
    settings = dataclasses.replace(provider_settings, friends=("http://a.example.org/oai", "http://b.example.org/oai"))
    root = Endpoint(catalogue, settings).ask({"verb": "Identify"}, now=NOW)
    assert xpath(root, "//friends:baseURL/text()") == ["http://a.example.org/oai", "http://b.example.org/oai"]


def test_list_metadata_formats_of_the_repository(endpoint: Endpoint) -> None:
    root = endpoint.ask({"verb": "ListMetadataFormats"}, now=NOW)
    assert xpath(root, "//oai:metadataPrefix/text()") == ["oai_dc", "lom"]
    assert xpath(root, "//oai:metadataNamespace/text()") == [
        "http://www.openarchives.org/OAI/2.0/oai_dc/", "http://ltsc.ieee.org/xsd/LOM",
    ]


def test_list_metadata_formats_of_a_record_and_of_a_deleted_record(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, [1, 2], now=NOW)
    delete_samples(endpoint.catalogue, [2], now=NOW)
    for index in (1, 2):
        root = endpoint.ask({"verb": "ListMetadataFormats", "identifier": oai_id(index)}, now=NOW)
        assert xpath(root, "//oai:metadataPrefix/text()") == ["oai_dc", "lom"]
        assert request_echo(root) == {"verb": "ListMetadataFormats", "identifier": oai_id(index)}


def test_list_metadata_formats_of_a_record_lists_only_what_is_stored(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, [1], now=NOW)
    with endpoint.catalogue.writing() as session:
        session.execute(update(Item).values(oai_dc=None))
    root = endpoint.ask({"verb": "ListMetadataFormats", "identifier": oai_id(1)}, now=NOW)
    assert xpath(root, "//oai:metadataPrefix/text()") == ["lom"]


def test_list_metadata_formats_of_a_record_without_any_format_is_no_metadata_formats(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, [1], now=NOW)
    with endpoint.catalogue.writing() as session:
        session.execute(update(Item).values(oai_dc=None, lom=None))
    root = endpoint.ask({"verb": "ListMetadataFormats", "identifier": oai_id(1)}, now=NOW)
    assert error_codes(root) == ["noMetadataFormats"]


def test_unknown_or_foreign_identifier_does_not_exist(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, [1], now=NOW)
    for identifier in (oai_id(2), f"oai:other.example.org:{record_id(1)}", record_id(1), "oai:lectern.example.org:"):
        for params in ({"verb": "ListMetadataFormats", "identifier": identifier},
                       {"verb": "GetRecord", "identifier": identifier, "metadataPrefix": "lom"}):
            assert error_codes(endpoint.ask(params, now=NOW)) == ["idDoesNotExist"], params


def test_list_sets_gives_the_hierarchy_with_names_and_descriptions(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, [NL], now=NOW)
    with endpoint.catalogue.writing() as session:
        session.add(SetInfo(spec="collection:maths", name="Maths", description="Chosen by the editors", editorial=True))
    root = endpoint.ask({"verb": "ListSets"}, now=NOW)
    specs = xpath(root, "//oai:setSpec/text()")
    assert {"lang", "lang:nl", "collection:maths"} <= set(specs)
    assert specs == sorted(specs)
    assert xpath(root, "string(//oai:set[oai:setSpec='lang:nl']/oai:setName)") == "Language: nl"
    assert xpath(root, "string(//oai:set[oai:setSpec='collection:maths']//dc:description)") == "Chosen by the editors"
    assert resumption_token(root) is None


def test_list_sets_of_a_repository_without_sets_is_no_set_hierarchy(endpoint: Endpoint) -> None:
    assert error_codes(endpoint.ask({"verb": "ListSets"}, now=NOW)) == ["noSetHierarchy"]


def test_list_sets_refuses_any_resumption_token(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, range(PAGE + 1), now=NOW)
    token = resumption_token(endpoint.ask({"verb": "ListIdentifiers", "metadataPrefix": "lom"}, now=NOW))
    assert token is not None
    root = endpoint.ask({"verb": "ListSets", "resumptionToken": token.value}, now=NOW)
    assert error_codes(root) == ["badResumptionToken"]


def test_get_record_in_each_format(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, [1], now=NOW)
    lom = endpoint.ask({"verb": "GetRecord", "identifier": oai_id(1), "metadataPrefix": "lom"}, now=NOW)
    assert xpath(lom, "string(//lom:general/lom:identifier/lom:entry)") == record_id(1)
    assert xpath(lom, "string(//oai:header/oai:datestamp)") == "2025-03-14T15:09:26Z"
    dc = endpoint.ask({"verb": "GetRecord", "identifier": oai_id(1), "metadataPrefix": "oai_dc"}, now=NOW)
    assert record_id(1) in xpath(dc, "//oai_dc:dc/dc:identifier/text()")


def test_get_record_of_a_deleted_record_is_a_deleted_header(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, [1], now=NOW)
    delete_samples(endpoint.catalogue, [1], now=datetime(2025, 4, 1))
    root = endpoint.ask({"verb": "GetRecord", "identifier": oai_id(1), "metadataPrefix": "oai_dc"}, now=NOW)
    assert deleted_identifiers(root) == [oai_id(1)]
    assert xpath(root, "string(//oai:datestamp)") == "2025-04-01T00:00:00Z"
    assert xpath(root, "//oai:metadata") == []


def test_get_record_in_an_unknown_format_cannot_be_disseminated(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, [1], now=NOW)
    root = endpoint.ask({"verb": "GetRecord", "identifier": oai_id(1), "metadataPrefix": "marc21"}, now=NOW)
    assert error_codes(root) == ["cannotDisseminateFormat"]
    assert request_echo(root) == {"verb": "GetRecord", "identifier": oai_id(1), "metadataPrefix": "marc21"}


def test_get_record_in_a_format_the_record_lacks_cannot_be_disseminated(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, [1], now=NOW)
    with endpoint.catalogue.writing() as session:
        session.execute(update(Item).values(oai_dc=None))
    root = endpoint.ask({"verb": "GetRecord", "identifier": oai_id(1), "metadataPrefix": "oai_dc"}, now=NOW)
    assert error_codes(root) == ["cannotDisseminateFormat"]


def test_harvested_record_carries_its_provenance(endpoint: Endpoint) -> None:
    origin = Origin("http://partner.example.org/oai", "oai:partner.example.org:42", "2024-02-03T04:05:06Z",
                    "http://ltsc.ieee.org/xsd/LOM", datetime(2025, 3, 1))
    store_samples(endpoint.catalogue, [1], now=NOW, origin=origin)
    store_samples(endpoint.catalogue, [2], now=NOW)
    root = endpoint.ask({"verb": "ListRecords", "metadataPrefix": "lom"}, now=NOW)
    records = {xpath(record, "string(oai:header/oai:identifier)"): record for record in xpath(root, "//oai:record")}
    description = xpath(records[oai_id(1)], "oai:about/provenance:provenance/provenance:originDescription")[0]
    assert xpath(description, "string(provenance:identifier)") == "oai:partner.example.org:42"
    assert description.get("harvestDate") == "2025-03-01T00:00:00Z"
    assert xpath(records[oai_id(2)], "oai:about") == []


def test_list_records_in_each_format(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, [1, 2], now=NOW)
    lom = endpoint.ask({"verb": "ListRecords", "metadataPrefix": "lom"}, now=NOW)
    assert len(xpath(lom, "//oai:metadata/lom:lom")) == 2
    dc = endpoint.ask({"verb": "ListRecords", "metadataPrefix": "oai_dc"}, now=NOW)
    assert len(xpath(dc, "//oai:metadata/oai_dc:dc")) == 2
    assert header_identifiers(dc) == [oai_id(1), oai_id(2)]


def test_list_identifiers_gives_headers_with_sets_and_no_metadata(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, [NL], now=NOW)
    root = endpoint.ask({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}, now=NOW)
    assert header_identifiers(root) == [oai_id(NL)]
    assert "lang:nl" in xpath(root, "//oai:header/oai:setSpec/text()")
    assert xpath(root, "//oai:metadata") == []


def test_list_of_an_empty_selection_is_no_records_match(endpoint: Endpoint) -> None:
    assert error_codes(endpoint.ask({"verb": "ListRecords", "metadataPrefix": "lom"}, now=NOW)) == ["noRecordsMatch"]
    store_samples(endpoint.catalogue, [NL], now=NOW)
    root = endpoint.ask({"verb": "ListIdentifiers", "metadataPrefix": "lom", "set": "lang:xx"}, now=NOW)
    assert error_codes(root) == ["noRecordsMatch"]
    assert request_echo(root) == {"verb": "ListIdentifiers", "metadataPrefix": "lom", "set": "lang:xx"}


def test_list_with_a_set_in_a_repository_without_sets_is_no_set_hierarchy(endpoint: Endpoint) -> None:
    root = endpoint.ask({"verb": "ListRecords", "metadataPrefix": "lom", "set": "lang"}, now=NOW)
    assert error_codes(root) == ["noSetHierarchy"]


def test_list_in_an_unknown_format_cannot_be_disseminated(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, [1], now=NOW)
    root = endpoint.ask({"verb": "ListIdentifiers", "metadataPrefix": "marc21"}, now=NOW)
    assert error_codes(root) == ["cannotDisseminateFormat"]


def test_set_harvest_includes_the_descendants_of_the_set(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, range(9), now=NOW)
    family = endpoint.ask({"verb": "ListIdentifiers", "metadataPrefix": "lom", "set": "lang"}, now=NOW)
    assert len(header_identifiers(family)) == PAGE
    dutch = harvest(endpoint, {"verb": "ListIdentifiers", "metadataPrefix": "lom", "set": "lang:nl"}, now=NOW)
    assert [i for page in dutch for i in header_identifiers(page)] == [oai_id(i) for i in (1, 3, 4, 7, 8)]


def test_record_that_leaves_a_set_is_deleted_for_that_sets_harvest(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, [NL], now=NOW)
    with endpoint.catalogue.writing() as session:  # the record's content becomes a French one
        records.store(session, fromstring(generate_record(FR)), record_id(NL), now=datetime(2025, 3, 15))
    dutch = endpoint.ask({"verb": "ListRecords", "metadataPrefix": "lom", "set": "lang:nl"}, now=NOW)
    assert deleted_identifiers(dutch) == [oai_id(NL)]
    assert xpath(dutch, "//oai:metadata") == []
    assert xpath(dutch, "string(//oai:datestamp)") == "2025-03-15T00:00:00Z"
    french = endpoint.ask({"verb": "ListRecords", "metadataPrefix": "lom", "set": "lang:fr"}, now=NOW)
    assert header_identifiers(french) == [oai_id(NL)] and deleted_identifiers(french) == []
    everything = endpoint.ask({"verb": "ListIdentifiers", "metadataPrefix": "lom"}, now=NOW)
    assert deleted_identifiers(everything) == []


def test_deleted_records_are_listed_as_deleted_headers(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, [1, 2, 3], now=NOW)
    delete_samples(endpoint.catalogue, [2], now=NOW)
    for verb in ("ListIdentifiers", "ListRecords"):
        root = endpoint.ask({"verb": verb, "metadataPrefix": "oai_dc"}, now=NOW)
        assert header_identifiers(root) == [oai_id(1), oai_id(3), oai_id(2)]
        assert deleted_identifiers(root) == [oai_id(2)]
    assert len(xpath(root, "//oai:metadata")) == 2


STAMPS = [datetime(2024, 1, 1, 10), datetime(2024, 1, 2), datetime(2024, 1, 2, 23, 59, 59), datetime(2024, 1, 3)]


def _dated(endpoint: Endpoint) -> None:
    for index, stamp in enumerate(STAMPS):
        store_samples(endpoint.catalogue, [index], now=stamp)


def _listed(endpoint: Endpoint, **bounds: str) -> list[int] | str:
    root = endpoint.ask({"verb": "ListIdentifiers", "metadataPrefix": "lom", **bounds}, now=NOW)
    codes = error_codes(root)
    return codes[0] if codes else [int(i.rsplit("-", 1)[1]) for i in header_identifiers(root)]


def test_from_and_until_at_day_granularity_are_inclusive_whole_days(endpoint: Endpoint) -> None:
    _dated(endpoint)
    assert _listed(endpoint, **{"from": "2024-01-02", "until": "2024-01-02"}) == [1, 2]
    assert _listed(endpoint, until="2024-01-01") == [0]
    assert _listed(endpoint, **{"from": "2024-01-03"}) == [3]


def test_from_and_until_at_seconds_granularity_are_inclusive(endpoint: Endpoint) -> None:
    _dated(endpoint)
    assert _listed(endpoint, **{"from": "2024-01-02T00:00:00Z", "until": "2024-01-02T23:59:59Z"}) == [1, 2]
    assert _listed(endpoint, **{"from": "2024-01-02T00:00:01Z"}) == [2, 3]
    assert _listed(endpoint, until="2024-01-01T09:59:59Z") == "noRecordsMatch"


def test_dates_that_cannot_select_are_bad_arguments_not_empty_lists(endpoint: Endpoint) -> None:
    _dated(endpoint)
    assert _listed(endpoint, **{"from": "2024-01-03", "until": "2024-01-02"}) == "badArgument"
    assert _listed(endpoint, **{"from": "2024-01-02", "until": "2024-01-03T00:00:00Z"}) == "badArgument"
    assert _listed(endpoint, **{"from": "2024-01-02T00:00:00.000Z"}) == "badArgument"


def test_a_record_taken_out_of_a_collection_is_deleted_for_that_collections_harvest(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, [1, 2], now=NOW)
    with endpoint.catalogue.writing() as session:
        collections.define(session, "collection:picks", "Editors' picks", "Chosen by hand")
        collections.put(session, "collection:picks", record_id(1), now=NOW)
        collections.put(session, "collection:picks", record_id(2), now=NOW)
    sets = endpoint.ask({"verb": "ListSets"}, now=NOW)
    assert "Editors' picks" in xpath(sets, "//oai:set[oai:setSpec='collection:picks']/oai:setName/text()")
    with endpoint.catalogue.writing() as session:
        collections.take_out(session, "collection:picks", record_id(1), now=datetime(2025, 3, 20))
    picks = endpoint.ask({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "collection:picks"}, now=NOW)
    assert header_identifiers(picks) == [oai_id(2), oai_id(1)]
    assert deleted_identifiers(picks) == [oai_id(1)]
    everything = endpoint.ask({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}, now=NOW)
    assert deleted_identifiers(everything) == []
