"""How fast Lectern validates LOM records, against plain lxml (the floor) and xmlschema, in one run.

    .venv/bin/python -m bench.validate --records 50000

Generates `--records` sample records (~5 KB, `metadata.samples`) into memory once, then times, on
the same bytes: (a) the floor, plain lxml parsing each record and validating it against our strict
XSD; (b) Lectern's validator with the `lom-strict` profile, called as a user would; (c) xmlschema's
own `XMLSchema.validate` on a subsample (it is two orders of magnitude slower). Then the peak RSS of
a fresh process streaming `--memory` records (two sizes) through the validator, to show that memory
does not grow with the input. Targets: ours/floor >= 0.7, ours/xmlschema >= 10, flat memory.
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections.abc import Callable, Iterator

from lxml import etree
from xmlschema import XMLSchemaValidationError

from metadata import samples, schemas, validation

from . import common

PROFILE = "lom-strict"


def floor_handler() -> Callable[[bytes], bool]:
    """Plain lxml, as someone without Lectern would write it: parse, then validate with libxml2.

    The peer is deliberately not `metadata.xmlsafe`: the floor is what lxml alone costs (with the
    same no-entity, no-network options), so the ratio shows everything Lectern adds on top.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    schema = schemas.lxml_schema(PROFILE)

    def handle(data: bytes) -> bool:
        return schema.validate(etree.fromstring(data, parser))

    return handle


def ours_handler() -> Callable[[bytes], bool]:
    """Lectern's public validator on one record's bytes, as a user checking a file would call it:
    `check` yields a verdict per record (schema, then the profile's rules)."""

    def handle(data: bytes) -> bool:
        return all(result.valid for result in validation.check(data, PROFILE))

    return handle


def xmlschema_handler() -> Callable[[bytes], bool]:
    """xmlschema validating the record from its bytes, with its own parser (one schema, built once)."""
    schema = schemas.xsd(PROFILE)

    def handle(data: bytes) -> bool:
        try:
            schema.validate(io.BytesIO(data))
        except XMLSchemaValidationError:
            return False
        return True

    return handle


def _timed(handler: Callable[[bytes], bool], records: list[bytes]) -> tuple[common.Rate, int]:
    invalid = 0

    def handle(data: bytes) -> None:
        nonlocal invalid
        invalid += not handler(data)

    handler(records[0])  # warm caches (compiled schema, profile rules) outside the clock
    return common.measure(handle, records), invalid


def speed(records: list[bytes], xmlschema_records: int) -> list[tuple[str, common.Rate, int]]:
    """Rates of the three validators on the same records (xmlschema on the first few only)."""
    results = []
    for name, handler, subset in (
        ("lxml + XMLSchema (floor)", floor_handler(), records),
        (f"Lectern check(data, {PROFILE!r})", ours_handler(), records),
        ("xmlschema XMLSchema.validate", xmlschema_handler(), records[:xmlschema_records]),
    ):
        rate, invalid = _timed(handler, subset)
        results.append((name, rate, invalid))
        print(f"  {name}: {rate.per_second:,.0f} records/s", file=sys.stderr)
    return results


def print_speed(results: list[tuple[str, common.Rate, int]]) -> None:
    """Ratios use CPU time: on a shared machine wall time also counts other people's processes."""
    floor, ours, peer = (rate.per_cpu_second for _, rate, _ in results)
    rows = [(name, rate.count, rate.seconds, rate.per_second, rate.cpu_seconds, rate.per_cpu_second,
             rate.per_cpu_second / floor, invalid) for name, rate, invalid in results]
    headers = ["validator", "records", "wall s", "records/s", "cpu s", "records/cpu s", "x floor", "invalid"]
    print(common.table(headers, rows))
    print()
    print(f"ours/floor     {ours / floor:6.2f}   (target >= 0.7: {'met' if ours / floor >= 0.7 else 'MISSED'})")
    print(f"ours/xmlschema {ours / peer:6.1f}   (target >= 10: {'met' if ours / peer >= 10 else 'MISSED'})")


def streamed_document(count: int, seed: int, size: int) -> Iterator[bytes]:
    """One OAI-PMH ListRecords-like document holding `count` records, produced piece by piece."""
    yield (b'<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
           b"<ListRecords>\n")
    for index, record in enumerate(samples.generate_records(count, seed, size)):
        body = record.split(b"?>\n", 1)[1]
        yield (b"<record><header><identifier>oai:lectern.example.org:" + samples.record_id(index).encode()
               + b"</identifier><datestamp>2024-01-01</datestamp></header><metadata>" + body
               + b"</metadata></record>\n")
    yield b"</ListRecords></OAI-PMH>\n"


class _ChunkReader(io.RawIOBase):
    """A read-only file over an iterator of byte chunks, so a parser can stream a generated document."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks, self._pending = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        while not self._pending:
            self._pending = next(self._chunks, b"")
            if not self._pending:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size], self._pending = self._pending[:size], self._pending[size:]
        return size


def child_memory(count: int, seed: int, size: int) -> None:
    """Child mode: stream `count` records as one document through the validator; print a JSON summary.

    The document is generated while it is read, so the input itself never sits in memory or on disk;
    `max_bytes` is lifted because 500,000 records of 5 KB exceed the 1 GiB a document may have by
    default.
    """
    started, cpu = time.perf_counter(), time.process_time()
    source = io.BufferedReader(_ChunkReader(streamed_document(count, seed, size)), buffer_size=1 << 16)
    results = validation.check(source, PROFILE, name="<generated>", max_bytes=1 << 40)
    seen = invalid = 0
    for result in results:
        seen += 1
        invalid += not result.valid
    print(json.dumps({"records": seen, "invalid": invalid, "seconds": time.perf_counter() - started,
                      "cpu_seconds": time.process_time() - cpu, "peak_rss": common.peak_rss()}))


def memory(counts: list[int], seed: int, size: int) -> None:
    rows, peaks = [], []
    for count in counts:
        print(f"  memory: streaming {count:,} records in a fresh process ...", file=sys.stderr)
        run = common.run_child(["-m", "bench.validate", "--child-memory", str(count), "--seed", str(seed),
                                "--size", str(size)])
        summary = json.loads(run.stdout.strip().splitlines()[-1])
        peaks.append(summary["peak_rss"])
        rows.append((summary["records"], common.megabytes(summary["peak_rss"]), summary["seconds"],
                     summary["cpu_seconds"], summary["records"] / summary["cpu_seconds"], summary["invalid"]))
    print(common.table(["records streamed", "peak RSS MB", "wall s", "cpu s", "records/cpu s", "invalid"], rows))
    print("(the child generates its input while validating it: records/cpu s includes ~50 us/record of generation)")
    if len(peaks) > 1:
        ratio = peaks[-1] / peaks[0]
        print(f"\npeak RSS {counts[-1]:,} / {counts[0]:,} records: {ratio:.2f}   "
              f"(target: the same, i.e. ~1.0: {'met' if ratio < 1.1 else 'MISSED'})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.validate", description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=50_000, help="records for the speed runs")
    parser.add_argument("--size", type=int, default=samples.DEFAULT_SIZE, help="target record size, bytes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--xmlschema-records", type=int, default=500, help="subsample for xmlschema")
    parser.add_argument("--memory", default="50000,500000", help="record counts for the RSS runs ('' skips)")
    parser.add_argument("--child-memory", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_memory is not None:
        child_memory(args.child_memory, args.seed, args.size)
        return
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # keep order with stderr
    print(common.environment_header())
    started = time.perf_counter()
    records = list(samples.generate_records(args.records, args.seed, args.size))
    elapsed = time.perf_counter() - started
    average = sum(map(len, records)) / len(records)
    print(f"records     {len(records):,} generated in {elapsed:.1f} s ({len(records) / elapsed:,.0f}/s), "
          f"{average:,.0f} bytes on average; profile {PROFILE!r}\n")
    print_speed(speed(records, args.xmlschema_records))
    del records
    counts = [int(count) for count in args.memory.split(",") if count.strip()]
    if counts:
        print()
        memory(counts, args.seed, args.size)


if __name__ == "__main__":
    main()
