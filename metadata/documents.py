"""Where documents come from: files, folders, zip packages (`.zip`, `.imscc`) and standard input.

Librarians validate what they have at hand: a folder of exports, a Common Cartridge, an OAI-PMH
response piped from curl. This module turns such paths into `Document`s, each with a name for
reports and a way to open it, without unpacking anything to disk: zip members are read in place and
named `package.zip!/path/inside.xml`. A folder is searched recursively (symbolic links to folders
are not followed, so a link loop cannot trap the walk) for XML files and packages, in sorted order so
reports are stable; a file named explicitly is read whatever its extension.
"""
from __future__ import annotations

import contextlib
import functools
import os
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import IO

XML_SUFFIXES = (".xml",)
PACKAGE_SUFFIXES = (".zip", ".imscc")
STDIN = "-"
"""The path that stands for standard input."""


@dataclass(frozen=True)
class Document:
    """A document to read: `open()` gives a binary stream, and raises `OSError` when it cannot."""

    name: str
    open: Callable[[], AbstractContextManager[IO[bytes]]]


def find_documents(paths: Iterable[str], stdin: IO[bytes] | None = None) -> Iterator[Document]:
    """The documents `paths` name, in the order given (folders sorted); `-` reads `stdin`."""
    for path in paths:
        if path == STDIN:
            if stdin is None:
                raise ValueError("'-' names standard input, but none was given")
            yield Document("<stdin>", functools.partial(contextlib.nullcontext, stdin))
        elif os.path.isdir(path):
            yield from _folder(path)
        elif _has_suffix(path, PACKAGE_SUFFIXES):
            yield from _package(path)
        else:
            yield Document(path, functools.partial(open, path, "rb"))


def _has_suffix(path: str, suffixes: tuple[str, ...]) -> bool:
    return path.lower().endswith(suffixes)


def _folder(folder: str) -> Iterator[Document]:
    for root, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            if _has_suffix(name, PACKAGE_SUFFIXES):
                yield from _package(path)
            elif _has_suffix(name, XML_SUFFIXES):
                yield Document(path, functools.partial(open, path, "rb"))


def _package(path: str) -> Iterator[Document]:
    """The XML members of a zip package; a package that cannot be opened is one unreadable document."""
    try:
        with zipfile.ZipFile(path) as package:
            members = [
                info.filename
                for info in package.infolist()
                if not info.is_dir() and _has_suffix(info.filename, XML_SUFFIXES)
            ]
    except (OSError, zipfile.BadZipFile) as err:
        yield Document(path, functools.partial(_Unreadable, f"not a readable zip package: {err}"))
        return
    for member in members:
        yield Document(f"{path}!/{member}", functools.partial(_member, path, member))


class _Unreadable(AbstractContextManager):
    """Stands in for a document that cannot be opened: opening it raises `OSError`."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __enter__(self) -> IO[bytes]:
        raise OSError(self.reason)

    def __exit__(self, *exc_info: object) -> None:
        return None


_ZIP_ERRORS = (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError)
"""What opening a member can raise: RuntimeError for an encrypted member, NotImplementedError for
an unknown compression method."""


@contextlib.contextmanager
def _member(path: str, member: str) -> Iterator[IO[bytes]]:
    with contextlib.ExitStack() as stack:
        try:
            package = stack.enter_context(zipfile.ZipFile(path))
            stream = stack.enter_context(package.open(member))
        except _ZIP_ERRORS as err:
            raise OSError(f"cannot read {member} in {path}: {err}") from err
        yield _MemberStream(stream)


class _MemberStream:
    """A zip member whose damage (bad CRC, broken deflate data) surfaces as `OSError` on read."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.name = stream.name

    def read(self, size: int = -1) -> bytes:
        try:
            return self._stream.read(size)
        except (zipfile.BadZipFile, zlib.error, EOFError) as err:
            raise OSError(f"damaged zip member {self.name}: {err}") from err
