"""`harvester.workers` and `harvester.checking`: pages checked in worker processes store what the
harvesting process would have stored itself, and no worker outlives a killed harvest.

The partner is the scripted catalogue of `tests.support.peer_catalogue`, answered in process, with
pages of twenty sample records (100 KB and more), so the first pages of a list are big enough to go
to a worker and the last one is not. Each harvest scenario harvests the same partner twice into one
catalogue, as source `serial` with no workers and as `parallel` with one, and compares what each
left behind; one catalogue rather than two, so the comparison runs on PostgreSQL too.
"""
from __future__ import annotations

import io
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from catalogue import harvested, runs, sources
from catalogue.db import Database
from catalogue.models import Item, Source
from harvester import checking, events, ingest
from harvester.lists import WORKER_PAGE_BYTES
from harvester.run import Options, harvest
from harvester.workers import Workers
from metadata.datestamps import SECONDS
from metadata.profiles import Profile
from tests.support.faults import HTML_PAGE, entity_bomb
from tests.support.harvest_records import ims_record, invalid_lom_record, lom_record
from tests.support.peer_catalogue import LOM_FORMAT, Catalogue, PeerRecord, sample_records, with_illegal_characters
from tests.support.provider_peer import Page

NOW = datetime(2025, 3, 1, 9, 0, 0)
BASE_URL = "http://partner.example.org/oai"
PAGE_SIZE = 20
MAX_RECORD_BYTES = 128 * 1024
"""Above the parser's 64 KiB reads, which is as finely as it can tell a record's size."""
CHECKOUT = Path(__file__).resolve().parents[2]


def _partner_records() -> list[PeerRecord]:
    """45 records (pages of 20, 20 and 5) with, spread over the pages, every case checking decides:
    valid, invalid (quarantined), legacy LOM (normalised), illegal characters (removed), deleted,
    too large (skipped and reported)."""
    records = sample_records(45, formats=("lom",))
    big = lom_record("Big", f'<description><string language="en">{"x" * 200_000}</string></description>')
    changes: dict[int, Callable[[PeerRecord], PeerRecord]] = {
        3: lambda r: replace(r, formats={"lom": invalid_lom_record()}),
        8: lambda r: replace(r, formats={"lom": ims_record("Legacy")}),
        12: lambda r: replace(r, deleted=True, formats={}),
        24: lambda r: replace(r, formats={"lom": invalid_lom_record()}),
        27: lambda r: replace(r, formats={"lom": big}),
        30: with_illegal_characters,
        41: lambda r: replace(r, formats={"lom": invalid_lom_record()}),
        43: with_illegal_characters,
    }
    return [changes[index](record) if index in changes else record for index, record in enumerate(records)]


@dataclass
class InProcessPartner:
    """`harvester.http.Fetcher`'s interface over the scripted catalogue; `spoil` may change a body."""

    catalogue: Catalogue
    spoil: Callable[[dict[str, str], bytes], bytes] = lambda params, body: body
    sizes: list[int] = field(default_factory=list)

    def fetch(self, base_url: str, params: dict[str, str]) -> Page:
        body = self.spoil(dict(params), self.catalogue.answer({name: [value] for name, value in params.items()}))
        if params.get("verb") == "ListRecords":
            self.sizes.append(len(body))
        return Page(f"{base_url}?{urlencode(params)}", 200, {"Content-Type": "text/xml"}, io.BytesIO(body))


@pytest.fixture
def partner() -> InProcessPartner:
    catalogue = Catalogue(_partner_records(), formats=(LOM_FORMAT,), page_size=PAGE_SIZE, granularity=SECONDS,
                          deleted_record="persistent", clock=lambda: NOW)
    catalogue.base_url = BASE_URL
    return InProcessPartner(catalogue)


@pytest.fixture
def submitted(monkeypatch: pytest.MonkeyPatch) -> list[Future]:
    """Every page handed to a worker process during the test, as its future."""
    futures: list[Future] = []
    original = Workers.submit

    def recording(self: Workers, task: Callable[..., Any], *arguments: Any) -> Future | None:
        future = original(self, task, *arguments)
        if future is not None:
            futures.append(future)
        return future

    monkeypatch.setattr(Workers, "submit", recording)
    return futures


def _harvest(catalogue: Database, partner: InProcessPartner, name: str, workers: int) -> runs.RunInfo:
    with catalogue.writing() as session:
        sources.add(session, name, BASE_URL, now=NOW)
    info = harvest(catalogue, name, partner, Options(workers=workers, max_record_bytes=MAX_RECORD_BYTES),
                   clock=lambda: NOW)
    assert info is not None
    return info


def _stored(catalogue: Database, name: str) -> list[tuple[object, ...]]:
    """Every item harvested from source `name`, as a reader of the catalogue sees it; left out is what
    differs by design between two sources: the local identifier, the change sequence, the source's
    own set and the content hash, which covers the sets."""
    own = f"source:{name}"
    query = (select(Item).join(Source, Source.id == Item.source_id).where(Source.name == name)
             .order_by(Item.original_identifier))
    with catalogue.reading() as session:
        return [(item.original_identifier, item.original_datestamp, item.datestamp, item.status, item.exposed,
                 item.deleted, item.title, sorted(set(item.set_specs.split()) - {own}),
                 item.lom, item.oai_dc, item.about, item.harvested) for item in session.scalars(query)]


def _quarantine(catalogue: Database, name: str) -> list[tuple[object, ...]]:
    with catalogue.reading() as session:
        return [(row.identifier, row.datestamp, row.received, row.reasons, row.raw)
                for row in harvested.quarantined(session, name)]


def _report(info: runs.RunInfo) -> tuple[object, ...]:
    return info.status, dict(info.counts), dict(info.alterations), info.errors


def _die_in_a_worker(body: bytes, job: checking.PageJob) -> list[checking.Item] | None:
    """A checking task whose worker process dies (out of memory, killed by the operator)."""
    os._exit(1)


def test_pages_checked_by_a_worker_store_exactly_what_the_harvesting_process_stores(
        catalogue: Database, partner: InProcessPartner, submitted: list[Future]) -> None:
    serial = _harvest(catalogue, partner, "serial", workers=0)
    assert submitted == []
    parallel = _harvest(catalogue, partner, "parallel", workers=1)
    in_range = [size for size in partner.sizes[3:] if WORKER_PAGE_BYTES[0] <= size <= WORKER_PAGE_BYTES[1]]
    assert len(in_range) == len(submitted) == 2 and all(future.result() is not None for future in submitted)
    assert _report(parallel) == _report(serial)
    assert serial.status == "succeeded" and serial.counts["quarantined"] == 3 and serial.counts["failed"] == 1
    assert serial.alterations
    assert _stored(catalogue, "parallel") == _stored(catalogue, "serial")
    assert len(_stored(catalogue, "serial")) == 45 - 3 - 1
    assert _quarantine(catalogue, "parallel") == _quarantine(catalogue, "serial")


def test_a_broken_page_a_worker_could_not_read_fails_the_run_as_without_workers(
        catalogue: Database, partner: InProcessPartner, submitted: list[Future]) -> None:
    partner.spoil = lambda params, body: body[: len(body) // 2] if "resumptionToken" in params else body
    serial = _harvest(catalogue, partner, "serial", workers=0)
    parallel = _harvest(catalogue, partner, "parallel", workers=1)
    assert [future.result() is None for future in submitted] == [False, True]
    assert serial.status == "failed" and serial.counts["pages"] == 1
    assert _report(parallel) == _report(serial)
    assert _stored(catalogue, "parallel") == _stored(catalogue, "serial")


def test_when_a_worker_dies_the_pages_are_checked_in_the_harvesting_process(
        catalogue: Database, partner: InProcessPartner, submitted: list[Future],
        monkeypatch: pytest.MonkeyPatch) -> None:
    serial = _harvest(catalogue, partner, "serial", workers=0)
    monkeypatch.setattr(checking, "check_page", _die_in_a_worker)
    parallel = _harvest(catalogue, partner, "parallel", workers=1)
    assert submitted, "no page was handed to a worker"
    assert _report(parallel) == _report(serial)
    assert _stored(catalogue, "parallel") == _stored(catalogue, "serial")
    assert _quarantine(catalogue, "parallel") == _quarantine(catalogue, "serial")


# -- a killed harvest leaves no worker behind ----------------------------------------------------------

HARVESTING_PROCESS = """
import os, time
from harvester.workers import Workers
workers = Workers(1)
print(workers.submit(os.getpid).result(timeout=30), flush=True)
time.sleep(120)
"""


def _running(pid: int) -> bool:
    """Whether process `pid` exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_workers_exit_when_the_harvesting_process_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", HARVESTING_PROCESS], cwd=CHECKOUT, stdout=subprocess.PIPE,
                              text=True)
    worker = 0
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        assert worker != parent.pid and _running(worker)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=5)
        deadline = time.monotonic() + 5
        while _running(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(worker), f"worker {worker} outlived its killed parent"
    finally:
        _end(parent, worker)


def _end(parent: subprocess.Popen[str], worker: int) -> None:
    """Leave nothing running, whatever the test found."""
    if parent.poll() is None:
        parent.kill()
        parent.wait()
    if parent.stdout is not None:
        parent.stdout.close()
    if worker and _running(worker):
        os.kill(worker, signal.SIGKILL)


# -- checking.check_page: the task a worker runs -------------------------------------------------------


@pytest.fixture
def job() -> checking.PageJob:
    target = ingest.Target(1, "partner", BASE_URL, Profile.load("lom-loose"), "published", 1)
    return checking.PageJob(target, NOW, MAX_RECORD_BYTES, f"{BASE_URL}?verb=ListRecords")


@pytest.fixture
def page(partner: InProcessPartner) -> bytes:
    """The partner's first ListRecords page: valid, invalid, legacy, deleted records."""
    return partner.fetch(BASE_URL, {"verb": "ListRecords", "metadataPrefix": "lom"}).body.getvalue()


def test_a_good_page_is_checked_as_the_harvesting_process_checks_it(page: bytes, job: checking.PageJob) -> None:
    assert WORKER_PAGE_BYTES[0] <= len(page) <= WORKER_PAGE_BYTES[1]
    in_worker = checking.check_page(page, job)
    assert in_worker == list(checking.parse(page, job))
    kinds = {type(item) for item in in_worker or ()}
    assert {ingest.Accepted, ingest.Rejected, events.Header, events.Token} <= kinds
    assert pickle.loads(pickle.dumps(in_worker)) == in_worker


@pytest.mark.parametrize("spoil", [
    pytest.param(lambda body: body[: len(body) // 2], id="truncated"),
    pytest.param(lambda body: entity_bomb().apply(body), id="entity-bomb"),
    pytest.param(lambda body: HTML_PAGE, id="html"),
])
def test_a_page_a_worker_cannot_read_is_left_to_the_harvesting_process(
        page: bytes, job: checking.PageJob, spoil: Callable[[bytes], bytes]) -> None:
    assert checking.check_page(spoil(page), job) is None

