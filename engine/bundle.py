"""Reading a deployment bundle (files, folders, a zip) into named files, before any validation."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from engine.errors import InvalidDeployment, Problem

KINDS = {".bpmn": "bpmn", ".dmn": "dmn", ".json": "form"}
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_BUNDLE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class BundleFile:
    name: str
    kind: str
    content: bytes


def kind_of(name: str) -> str | None:
    """Flowable and Activiti name their BPMN files `*.bpmn20.xml` (and DMN `*.dmn11.xml`...)."""
    lowered = PurePosixPath(name).name.lower()
    if lowered.endswith(".bpmn20.xml"):
        return "bpmn"
    if re.search(r"\.dmn\d*\.xml$", lowered):
        return "dmn"
    return KINDS.get(PurePosixPath(name).suffix.lower())


class Bundle:
    """Files to deploy together, by base name: a user task names its form by file name."""

    def __init__(self):
        self.files: dict[str, BundleFile] = {}
        self.problems: list[Problem] = []
        self._total = 0

    @classmethod
    def from_paths(cls, paths) -> "Bundle":
        bundle = cls()
        for path in map(Path, paths):
            if path.is_dir():
                for child in sorted(p for p in path.rglob("*") if p.is_file()):
                    if kind_of(child.name) and not any(part.startswith(".") for part in child.parts):
                        bundle.add(child.name, child.read_bytes())
            elif path.suffix.lower() == ".zip":
                bundle.add_zip(path.name, path.read_bytes())
            elif path.is_file():
                bundle.add(path.name, path.read_bytes())
            else:
                bundle.problems.append(Problem("no such file or folder", file=str(path)))
        return bundle

    @classmethod
    def from_uploads(cls, uploads) -> "Bundle":
        """`uploads` is an iterable of (file name, bytes), as a web form or API delivers them."""
        bundle = cls()
        for name, content in uploads:
            name = name or ""
            if PurePosixPath(name).suffix.lower() == ".zip":
                bundle.add_zip(name, content)
            else:
                bundle.add(PurePosixPath(name).name, content)
        return bundle

    def add(self, name: str, content: bytes, shown_as: str | None = None) -> None:
        """`shown_as` names the file in problems (e.g. `bundle.zip/forms/x.json`)."""
        kind = kind_of(name or "")
        if not name or len(name) > 255 or "\x00" in name:
            where = (shown_as or name or "").replace("\x00", "")[:120]
            self.problems.append(Problem("a file needs a name of at most 255 characters", file=where))
        elif kind is None:
            self.problems.append(Problem("not a .bpmn, .bpmn20.xml, .dmn or .json file", file=name))
        elif name in self.files:
            self.problems.append(Problem("two files of this name in one deployment", file=name))
        elif len(content) > MAX_FILE_BYTES:
            self.problems.append(Problem(f"larger than {MAX_FILE_BYTES // 1024 // 1024} MB", file=name))
        else:
            self._total += len(content)
            if self._total > MAX_BUNDLE_BYTES:
                self.problems.append(Problem("the deployment is larger than 50 MB", file=name))
            self.files[name] = BundleFile(name, kind, content)

    def add_zip(self, zip_name: str, content: bytes) -> None:
        try:
            archive = zipfile.ZipFile(io.BytesIO(content))
            entries = [e for e in archive.infolist() if not e.is_dir()]
        except zipfile.BadZipFile as error:
            self.problems.append(Problem(f"not a readable zip file: {error}", file=zip_name))
            return
        for entry in entries:
            path = PurePosixPath(entry.filename)
            if path.name.startswith(".") or "__MACOSX" in path.parts or not kind_of(path.name):
                continue
            room = min(MAX_FILE_BYTES, MAX_BUNDLE_BYTES - self._total)
            if room <= 0:  # stop reading at the limit: a small zip may unpack to gigabytes
                self.problems.append(Problem("the deployment is larger than 50 MB", file=zip_name))
                return
            with archive.open(entry) as stream:  # read at most one byte past the room, whatever the header says
                content = stream.read(room + 1)
            if len(content) > room:
                self.problems.append(Problem("larger than 5 MB" if room == MAX_FILE_BYTES else
                                             "the deployment is larger than 50 MB", file=f"{zip_name}/{entry.filename}"))
                continue
            self.add(path.name, content, shown_as=f"{zip_name}/{entry.filename}")

    def of_kind(self, kind: str) -> list[BundleFile]:
        return [f for f in self.files.values() if f.kind == kind]

    def raise_problems(self) -> None:
        if self.problems:
            raise InvalidDeployment("The deployment could not be read", list(self.problems))
        if not self.files:
            raise InvalidDeployment("Nothing to deploy: no .bpmn, .dmn or .json files given")
