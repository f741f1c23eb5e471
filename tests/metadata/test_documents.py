"""Documents from paths: files, folders (recursive, sorted), zip packages read in place, stdin."""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from metadata.documents import find_documents


def _names(paths: list[str], stdin: io.BytesIO | None = None) -> list[str]:
    return [document.name for document in find_documents(paths, stdin)]


def _read(document_name: str, paths: list[str]) -> bytes:
    (document,) = [document for document in find_documents(paths) if document.name == document_name]
    with document.open() as stream:
        return stream.read()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.xml").write_bytes(b"<two/>")
    (tmp_path / "a.XML").write_bytes(b"<one/>")
    (tmp_path / "notes.txt").write_bytes(b"not xml")
    with zipfile.ZipFile(tmp_path / "course.imscc", "w") as package:
        package.writestr("imsmanifest.xml", b"<manifest/>")
        package.writestr("web/page.html", b"<html/>")
        package.writestr("res/", b"")
        package.writestr("res/meta.xml", b"<meta/>")
    return tmp_path


def test_folder_is_searched_recursively_in_sorted_order_for_xml_and_packages(folder: Path) -> None:
    assert _names([str(folder)]) == [
        str(folder / "a.XML"),
        f"{folder / 'course.imscc'}!/imsmanifest.xml",
        f"{folder / 'course.imscc'}!/res/meta.xml",
        str(folder / "b" / "two.xml"),
    ]


def test_zip_member_is_read_in_place(folder: Path) -> None:
    assert _read(f"{folder / 'course.imscc'}!/res/meta.xml", [str(folder)]) == b"<meta/>"


def test_file_named_explicitly_is_read_whatever_its_extension(folder: Path) -> None:
    assert _names([str(folder / "notes.txt")]) == [str(folder / "notes.txt")]


def test_dash_reads_standard_input() -> None:
    stdin = io.BytesIO(b"<lom/>")
    (document,) = find_documents(["-"], stdin)
    with document.open() as stream:
        assert (document.name, stream.read()) == ("<stdin>", b"<lom/>")


def test_broken_package_is_one_document_that_cannot_be_opened(tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 this is no zip")
    (document,) = find_documents([str(broken)])
    with pytest.raises(OSError, match="not a readable zip package"):
        with document.open():
            pass


def test_damaged_member_fails_with_os_error_when_read(tmp_path: Path) -> None:
    package = tmp_path / "damaged.zip"
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.xml", b"<lom>" + b"x" * 10000 + b"</lom>")
    data = bytearray(package.read_bytes())
    data[60:70] = b"\xff" * 10  # inside the compressed bytes of the only member
    package.write_bytes(bytes(data))
    (document,) = find_documents([str(package)])
    with pytest.raises(OSError):
        with document.open() as stream:
            stream.read()


def test_symbolic_link_loop_does_not_trap_the_walk(tmp_path: Path) -> None:
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "record.xml").write_bytes(b"<lom/>")
    os.symlink(tmp_path, tmp_path / "inner" / "loop")
    assert _names([str(tmp_path)]) == [str(tmp_path / "inner" / "record.xml")]
