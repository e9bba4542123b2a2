"""Where attachment bytes live, what they are and what they may be called.

- Kept in the database by default; with a folder set (SECRETARIAT_ATTACHMENT_FOLDER) each file
  is written there once, named by its sha256, before the row that names it is committed (a
  rolled-back upload leaves at most an unreferenced file, never a row without its bytes).
- The content type is read from the bytes, never taken from the client: a file announced as a
  PDF that is an HTML page must not be served as one.
- A file name is reduced to a plain last component, without control characters, so that a
  download's Content-Disposition cannot be bent into a path or a header."""
from __future__ import annotations

import io
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
OCTET_STREAM = "application/octet-stream"
_OFFICE = {"word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
_SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
               (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"))
# Every type `sniff` may answer (the API's document lists them for the download).
CONTENT_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/gif", "application/zip", *_OFFICE.values(),
                 "text/plain", OCTET_STREAM)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/<>:|?*]')


@dataclass(frozen=True)
class AttachmentPolicy:
    """The installation's choice: folder (None: the database) and size limit in bytes."""
    folder: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES


def sniff(content: bytes) -> str:
    """The content type the bytes show: a few well-known signatures, Office files by their
    zip entries, UTF-8 text without NUL as text/plain, anything else as octet-stream."""
    for signature, kind in _SIGNATURES:
        if content.startswith(signature):
            return kind
    if content.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        except (zipfile.BadZipFile, ValueError):
            return OCTET_STREAM
        for prefix, kind in _OFFICE.items():
            if any(name.startswith(prefix) for name in names):
                return kind
        return "application/zip"
    if b"\x00" not in content:
        try:
            content.decode("utf-8")
            return "text/plain"
        except UnicodeDecodeError:
            pass
    return OCTET_STREAM


def safe_filename(name: str | None) -> str:
    """The last component of `name`, without characters a path or a header could misuse."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    cleaned = " ".join(_UNSAFE.sub("_", base).split()).strip(". ")
    if len(cleaned) > 255:
        stem, dot, extension = cleaned.rpartition(".")
        cleaned = (stem[:250 - len(extension)] + dot + extension) if dot and len(extension) < 20 else cleaned[:255]
    return cleaned or "attachment"


def _path(folder: str, sha256: str) -> Path:
    return Path(folder) / sha256[:2] / sha256


def write_to_folder(folder: str, sha256: str, content: bytes) -> None:
    """Once per content: written to a temporary name, then renamed into place."""
    target = _path(folder, sha256)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_from_folder(folder: str, sha256: str) -> bytes:
    return _path(folder, sha256).read_bytes()
