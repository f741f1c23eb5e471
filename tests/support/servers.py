"""Real servers on the loopback interface for tests: a subprocess, an ephemeral port, a deadline.

The server is told to listen on port 0, so the kernel picks a free port and no two test runs can
collide; the port is read back from the line the server prints when it listens (Werkzeug's
"Running on http://127.0.0.1:PORT", gunicorn's "Listening at: http://127.0.0.1:PORT"). Everything
the server writes goes to a log file that `log_text()` returns, so a failing test can show it.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

_LISTENING = re.compile(r"http://127\.0\.0\.1:(\d+)")


class ServerFailed(RuntimeError):
    """The server exited or did not answer before its deadline; the message carries its log."""


class LiveServer:
    """One server subprocess; use as a context manager, then read `url`."""

    def __init__(self, command: Sequence[str], *, env: Mapping[str, str] | None = None,
                 deadline: float = 30.0) -> None:
        self.command = list(command)
        self.env = {**os.environ, **(env or {})}
        self.deadline = deadline
        self.port: int | None = None
        descriptor, name = tempfile.mkstemp(prefix="live-server-", suffix=".log")
        os.close(descriptor)
        self._log = Path(name)
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT` of the running server (no trailing slash)."""
        if self.port is None:
            raise ServerFailed("the server is not running")
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        """Process id of the server (under gunicorn, the arbiter: the workers are its children)."""
        if self._process is None:
            raise ServerFailed("the server is not running")
        return self._process.pid

    def log_text(self) -> str:
        """Everything the server printed so far."""
        return self._log.read_text(encoding="utf-8", errors="replace")

    def __enter__(self) -> LiveServer:
        with open(self._log, "wb") as log:
            self._process = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL, env=self.env)
        try:
            self.port = self._wait_for_port()
            self._wait_for_connection()
        except ServerFailed:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
        self._log.unlink(missing_ok=True)

    def _wait_for_port(self) -> int:
        end = time.monotonic() + self.deadline
        while time.monotonic() < end:
            found = _LISTENING.search(self.log_text())
            if found:
                return int(found.group(1))
            self._check_alive()
            time.sleep(0.05)
        raise ServerFailed(f"no listening line within {self.deadline}s:\n{self.log_text()}")

    def _wait_for_connection(self) -> None:
        end = time.monotonic() + self.deadline
        while time.monotonic() < end:
            self._check_alive()
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise ServerFailed(f"port {self.port} refused connections for {self.deadline}s:\n{self.log_text()}")

    def _check_alive(self) -> None:
        assert self._process is not None
        if self._process.poll() is not None:
            raise ServerFailed(f"server exited with status {self._process.returncode}:\n{self.log_text()}")

    def stop(self) -> None:
        """Stop the server (politely, then firmly); the log stays readable."""
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=10)
