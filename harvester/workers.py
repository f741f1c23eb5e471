"""Worker processes that check harvested pages beside the process that stores them.

Parsing, validating and rendering a record costs several times what storing it does, and one
Python process uses one core; with the checking in `count` worker processes a harvest uses every
core of the machine. Workers are started on the first page worth sending them and live as long as
the run. They are spawned, not forked (the harvesting process has threads and database
connections), and each watches its parent: a harvest killed outright leaves no worker behind.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

logger = logging.getLogger(__name__)

_WATCH_SECONDS = 1.0


MAX_DEFAULT_COUNT = 4
"""Beyond about four workers the process storing the pages is the bottleneck, and more would only
cost memory (some 90 MB each)."""


def default_count() -> int:
    """One worker per core, up to `MAX_DEFAULT_COUNT`."""
    return min(os.cpu_count() or 1, MAX_DEFAULT_COUNT)


class Workers:
    """A lazily started pool of `count` worker processes (0: none, `submit` is never to be called)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._pool: ProcessPoolExecutor | None = None

    def __bool__(self) -> bool:
        return self.count > 0

    def submit(self, task: Callable[..., Any], *arguments: Any) -> Future | None:
        """Run `task(*arguments)` in a worker (the task and its arguments must pickle); None when the
        workers are gone (one died, or they cannot start), and from then on: the caller does the task."""
        if self.count and self._pool is None:
            self._pool = ProcessPoolExecutor(self.count, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_watch_parent, initargs=(os.getpid(),))
        try:
            return self._pool.submit(task, *arguments) if self.count else None
        except BrokenProcessPool:
            logger.warning("the worker processes stopped; checking pages in the harvesting process")
            self.close()
            self.count = 0
            return None

    def close(self) -> None:
        """Stop the workers; tasks still queued are dropped."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)  # a broken pool returns at once
            self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _watch_parent(parent: int) -> None:
    """In each worker: leave Ctrl-C to the harvesting process, which ends the run after its page (the
    terminal sends SIGINT to the whole process group), and exit as soon as that process is gone
    (SIGKILL closes no pipe the worker would notice: every worker holds the task queue's writing end too)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_WATCH_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()

