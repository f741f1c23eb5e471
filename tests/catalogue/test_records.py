"""`catalogue.records`: the change counter under concurrent writers."""
from __future__ import annotations

import threading

from catalogue import records
from catalogue.db import Database


def test_two_first_writes_at_once_both_get_a_change_number(catalogue: Database) -> None:
    """The counter row does not exist yet; the second writer must wait for it, not fail on it."""
    other = Database(catalogue.url)
    first_took, results = threading.Event(), {}

    def second_writer() -> None:
        first_took.wait(timeout=30)
        with other.writing() as session:
            results["second"] = records.next_seq(session)

    thread = threading.Thread(target=second_writer)
    thread.start()
    try:
        with catalogue.writing() as session:
            results["first"] = records.next_seq(session)
            first_took.set()
            thread.join(timeout=0.5)  # the second writer is now waiting for this transaction
    finally:
        thread.join(timeout=30)
        other.dispose()
    assert results == {"first": 1, "second": 2}
