"""Large OAI-PMH responses made on the fly, for tests and benchmarks of streaming parsers.

A gigabyte ListRecords page is never held in memory: these are readable binary streams that render
the response piece by piece as it is read, so a parser's memory can be measured at two sizes with the
producer's memory flat.
"""
from __future__ import annotations

from collections.abc import Iterator

from metadata.namespaces import LOM, OAI_PMH
from metadata.samples import generate_record

_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="' + OAI_PMH.encode() + b'">\n'
         b"<responseDate>2024-01-01T00:00:00Z</responseDate>\n"
         b'<request verb="ListRecords" metadataPrefix="lom">http://peer.example/oai</request>\n<ListRecords>\n')
_TAIL = b'<resumptionToken completeListSize="%d" cursor="0"></resumptionToken>\n</ListRecords>\n</OAI-PMH>\n'


def pool(size: int = 50, seed: int = 0) -> list[bytes]:
    """Sample LOM records without their XML declarations, ready to wrap."""
    return [generate_record(index, seed).split(b"?>", 1)[1].strip() for index in range(size)]


class ChunkStream:
    """A readable binary stream over an iterator of byte chunks; `size` counts the bytes read."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = bytearray()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        cut = len(self._buffer) if size < 0 else size
        data = bytes(self._buffer[:cut])
        del self._buffer[:cut]
        self.size += len(data)
        return data


def _item(index: int, metadata: bytes) -> bytes:
    return (b"<record><header><identifier>oai:peer:%d</identifier><datestamp>2024-01-01T00:00:00Z"
            b"</datestamp></header><metadata>%s</metadata></record>\n" % (index, metadata))


def _list_records(count: int, records: list[bytes]) -> Iterator[bytes]:
    yield _HEAD
    for index in range(count):
        yield _item(index, records[index % len(records)])
    yield _TAIL % count


class ListRecordsStream(ChunkStream):
    """`count` records in one ListRecords response, cycling through `records`, each its own identifier."""

    def __init__(self, count: int, records: list[bytes]) -> None:
        super().__init__(_list_records(count, records))


def _one_large_record(keywords: int) -> Iterator[bytes]:
    yield _HEAD + b"<record><header><identifier>oai:peer:large</identifier><datestamp>2024-01-01T00:00:00Z" \
        b'</datestamp></header><metadata><lom xmlns="' + LOM.encode() + b'"><general>'
    for start in range(0, keywords, 1000):
        yield b"".join(b"<keyword><string>k%d</string></keyword>" % index
                       for index in range(start, min(start + 1000, keywords)))
    yield b"</general></lom></metadata></record>\n" + _item(1, b'<lom xmlns="' + LOM.encode() + b'"/>') + _TAIL % 2


class LargeRecordStream(ChunkStream):
    """A ListRecords page whose first record has `keywords` keyword elements (40 bytes each), then a small one."""

    def __init__(self, keywords: int) -> None:
        super().__init__(_one_large_record(keywords))
