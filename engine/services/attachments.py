"""Files attached to an instance, or to one of its tasks: upload, list, download.

Anyone who may read the instance may attach and read its files (access.py), as they may read
its data. The size limit and the place of the bytes are the installation's
(engine.attachment_storage.AttachmentPolicy, from the SECRETARIAT_ATTACHMENT_* settings)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from engine.attachment_storage import read_from_folder, safe_filename, sniff, write_to_folder
from engine.errors import InvalidInput, NotFound, Problem, TooLarge
from engine.messages import N_
from engine.persistence.collaboration_models import Attachment
from engine.persistence.models import HumanTask
from engine.services import access
from engine.views import Actor


@dataclass(frozen=True)
class AttachmentView:
    id: int
    process_instance_id: int
    task_id: str | None
    filename: str
    content_type: str
    size: int
    sha256: str
    author: str | None
    at: datetime


@dataclass(frozen=True)
class AttachmentFile:
    attachment: AttachmentView
    content: bytes


def _view(row: Attachment) -> AttachmentView:
    return AttachmentView(row.id, row.instance_id, row.task_id, row.filename, row.content_type, row.size,
                          row.sha256, row.author, row.at)


class AttachmentService:
    def __init__(self, session: Session, context):
        self.session = session
        self.context = context

    @property
    def policy(self):
        return self.context.attachments

    def list(self, instance_id: int, actor: Actor | None, task_id: str | None = None) -> list[AttachmentView]:
        """Oldest first; with `task_id`, only those uploaded on that task."""
        access.readable_instance(self.session, actor, instance_id)
        query = select(Attachment).where(Attachment.instance_id == instance_id)
        if task_id is not None:
            query = query.where(Attachment.task_id == task_id)
        return [_view(r) for r in self.session.scalars(query.order_by(Attachment.id))]

    def add(self, instance_id: int, actor: Actor, filename: str | None, content: bytes,
            task_id: str | None = None) -> AttachmentView:
        """Store one file: 413 (TooLarge) over the limit, 422 for an empty file or a task of another instance."""
        access.readable_instance(self.session, actor, instance_id)
        if len(content) > self.policy.max_bytes:
            raise TooLarge(f"The file is {len(content)} bytes; attachments may be at most "
                           f"{self.policy.max_bytes} bytes")
        problems = []
        if not content:
            problems.append(Problem("The file is empty", field="file"))
        if task_id is not None and self.session.scalar(select(HumanTask.id).where(
                HumanTask.id == task_id, HumanTask.instance_id == instance_id)) is None:
            problems.append(Problem(f"No task {task_id} in process instance {instance_id}", field="task_id"))
        if problems:
            raise InvalidInput("The attachment cannot be stored", problems)
        digest = hashlib.sha256(content).hexdigest()
        in_folder = self.policy.folder is not None
        if in_folder:
            write_to_folder(self.policy.folder, digest, content)
        row = Attachment(instance_id=instance_id, task_id=task_id, filename=safe_filename(filename),
                         content_type=sniff(content), size=len(content), sha256=digest, author=actor.username,
                         at=self.context.clock.now(), storage="folder" if in_folder else "database",
                         content=None if in_folder else content)
        self.session.add(row)
        self.session.flush()
        return _view(row)

    def open(self, attachment_id: int, actor: Actor | None) -> AttachmentFile:
        """The file and its bytes, for whoever may read its instance."""
        row = self.session.scalar(select(Attachment).where(Attachment.id == attachment_id)
                                  .options(undefer(Attachment.content)))
        if row is None:
            raise NotFound(N_("No attachment %(attachment)s"), attachment=attachment_id)
        access.readable_instance(self.session, actor, row.instance_id)
        if row.storage == "folder":
            if self.policy.folder is None:
                raise NotFound(N_("Attachment %(attachment)s is kept in a folder this installation no longer sets"),
                               attachment=attachment_id)
            try:
                content = read_from_folder(self.policy.folder, row.sha256)
            except FileNotFoundError:
                raise NotFound(N_("The file of attachment %(attachment)s is missing from the folder"),
                               attachment=attachment_id) from None
        else:
            content = row.content or b""
        return AttachmentFile(_view(row), content)

    def unknown_references(self, instance_id: int, values: dict[str, object]) -> list[Problem]:
        """For form fields marked `x-attachment`: {field: value} -> a problem for each value that
        is not the id of an attachment of this instance."""
        problems, wanted = [], {}
        for name, value in values.items():
            text = str(value)
            if isinstance(value, bool) or not text.isdigit() or not 0 < int(text) < 2**31:
                problems.append(Problem("must be the id of a file attached to this case", field=name))
            else:
                wanted[name] = int(text)
        if wanted:
            found = set(self.session.scalars(select(Attachment.id).where(
                Attachment.id.in_(set(wanted.values())), Attachment.instance_id == instance_id)))
            problems += [Problem(f"no file {ident} is attached to this case", field=name)
                         for name, ident in wanted.items() if ident not in found]
        return problems
