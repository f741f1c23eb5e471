"""Large OAI-PMH responses made on the fly, for tests and benchmarks of streaming parsers.

A gigabyte ListRecords page is never held in memory: `ListRecordsStream` is a readable binary stream
that renders record after record from a small pool of sample records (each with its own identifier),
so a parser's memory can be measured at two sizes with the producer's memory flat.
"""
from __future__ import annotations

from metadata.namespaces import OAI_PMH
from metadata.samples import generate_record

_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="' + OAI_PMH.encode() + b'">\n'
         b"<responseDate>2024-01-01T00:00:00Z</responseDate>\n"
         b'<request verb="ListRecords" metadataPrefix="lom">http://peer.example/oai</request>\n<ListRecords>\n')
_TAIL = b'<resumptionToken completeListSize="%d" cursor="0"></resumptionToken>\n</ListRecords>\n</OAI-PMH>\n'


def pool(size: int = 50, seed: int = 0) -> list[bytes]:
    """Sample LOM records without their XML declarations, ready to wrap."""
    return [generate_record(index, seed).split(b"?>", 1)[1].strip() for index in range(size)]


class ListRecordsStream:
    """`count` records in one ListRecords response, rendered as they are read."""

    def __init__(self, count: int, records: list[bytes]) -> None:
        self.count, self.records = count, records
        self._index = 0
        self._buffer = bytearray(_HEAD)
        self.size = 0

    def _item(self, index: int) -> bytes:
        return (b"<record><header><identifier>oai:peer:%d</identifier><datestamp>2024-01-01T00:00:00Z"
                b"</datestamp></header><metadata>%s</metadata></record>\n"
                % (index, self.records[index % len(self.records)]))

    def read(self, size: int = -1) -> bytes:
        while (size < 0 or len(self._buffer) < size) and self._index <= self.count:
            self._buffer += self._item(self._index) if self._index < self.count else _TAIL % self.count
            self._index += 1
        cut = len(self._buffer) if size < 0 else size
        data = bytes(self._buffer[:cut])
        del self._buffer[:cut]
        self.size += len(data)
        return data
