"""How fast Lectern renders the `oai_dc` it stores for every LOM record, against parsing the record.

    .venv/bin/python -m bench.crosswalk --records 20000

Generates `--records` sample records (~5 KB, `metadata.samples`) into memory once, then times, on
the same bytes: (a) the floor, plain lxml parsing each record, which every use of a record pays
before anything else; (b) `crosswalk.render_oai_dc` on the parsed records, which the catalogue runs
for every record it stores (imports and harvests); (c) both, parse then render, as the write path
runs them. Each is run `--repeat` times and the fastest run counts, since a shared machine only ever
slows a run down. Rendering holds one record at a time, so there is no memory to measure.
Target: render >= 10,000 records per CPU second.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence

from lxml import etree

from metadata import samples, xmlsafe
from metadata.crosswalk import render_oai_dc

from . import common

TARGET = 10_000


def floor_handler() -> Callable[[bytes], object]:
    """Plain lxml with the same no-entity, no-network options as `metadata.xmlsafe`."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return lambda data: etree.fromstring(data, parser)


def _write_path(data: bytes) -> bytes:
    return render_oai_dc(xmlsafe.fromstring(data))


def _fastest(handle: Callable[[object], object], items: Sequence[object], repeat: int) -> common.Rate:
    handle(items[0])  # warm caches (compiled tables, cached terms) outside the clock
    return min((common.measure(handle, items) for _ in range(repeat)), key=lambda rate: rate.cpu_seconds)


def speed(records: list[bytes], repeat: int) -> list[tuple[str, common.Rate]]:
    parsed = [xmlsafe.fromstring(data) for data in records]
    results = []
    for name, handle, items in (
        ("lxml parse (floor)", floor_handler(), records),
        ("render_oai_dc(parsed record)", render_oai_dc, parsed),
        ("xmlsafe parse + render_oai_dc", _write_path, records),
    ):
        rate = _fastest(handle, items, repeat)
        results.append((name, rate))
        print(f"  {name}: {rate.per_second:,.0f} records/s", file=sys.stderr)
    return results


def print_speed(results: list[tuple[str, common.Rate]]) -> None:
    """Ratios and the target use CPU time: on a shared machine wall time also counts other people."""
    floor = results[0][1].per_cpu_second
    rows = [(name, rate.count, rate.seconds, rate.per_second, rate.cpu_seconds, rate.per_cpu_second,
             1e6 / rate.per_cpu_second, rate.per_cpu_second / floor) for name, rate in results]
    headers = ["step", "records", "wall s", "records/s", "cpu s", "records/cpu s", "us/record", "x floor"]
    print(common.table(headers, rows))
    render = results[1][1].per_cpu_second
    print(f"\nrender_oai_dc {render:,.0f} records/cpu s   (target >= {TARGET:,}: "
          f"{'met' if render >= TARGET else 'MISSED'})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.crosswalk", description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=20_000, help="records to time")
    parser.add_argument("--size", type=int, default=samples.DEFAULT_SIZE, help="target record size, bytes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step; the fastest counts")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # keep order with stderr
    print(common.environment_header())
    started = time.perf_counter()
    records = list(samples.generate_records(args.records, args.seed, args.size))
    elapsed = time.perf_counter() - started
    average = sum(map(len, records)) / len(records)
    print(f"records     {len(records):,} generated in {elapsed:.1f} s, {average:,.0f} bytes on average\n")
    print_speed(speed(records, args.repeat))


if __name__ == "__main__":
    main()
