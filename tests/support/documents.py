"""Documents built for validator tests: OAI-PMH pages around sample records, and hostile XML."""
from __future__ import annotations

from metadata.namespaces import OAI_PMH


def oai_list_records(records: list[bytes]) -> bytes:
    """An OAI-PMH ListRecords response carrying `records` (their XML declarations dropped)."""
    wrapped = b"".join(
        b"<record><header><identifier>oai:x:%d</identifier><datestamp>2024-01-01</datestamp></header>"
        b"<metadata>%s</metadata></record>\n" % (number, record.split(b"?>", 1)[-1].strip())
        for number, record in enumerate(records)
    )
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="' + OAI_PMH.encode() + b'">\n'
        b"<responseDate>2024-01-01T00:00:00Z</responseDate><request>http://x/oai</request>\n"
        b"<ListRecords>\n" + wrapped + b"</ListRecords></OAI-PMH>\n"
    )


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lom [
 <!ENTITY a "haha">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general><title><string>&i;</string></title></general></lom>
"""
"""The classic entity expansion bomb: a billion "haha"s from a few hundred bytes, if expanded."""
