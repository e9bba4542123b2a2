"""Comments: one thread per instance, each optionally about one of its tasks, readable and
writable by whoever may read the instance. `@username` names a colleague: each named user
who may read the instance too is told by e-mail (unless they turned mentions off)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import InvalidInput, Problem
from engine.notifications import messages, outbox, recipients
from engine.notifications.hooks import mail_of
from engine.persistence.models import HumanTask, ProcessInstance, User
from engine.persistence.notification_models import Comment
from engine.services import access
from engine.views import Actor

MAX_BODY = 10_000
# A mention starts a word; a user name may hold dots, which also end sentences ("ask @edith.").
MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9][A-Za-z0-9._@-]{0,119})")


@dataclass(frozen=True)
class CommentView:
    id: int
    author: str
    at: datetime
    body: str
    task_id: str | None
    author_name: str | None = None


def mentioned_names(body: str) -> list[str]:
    return list(dict.fromkeys(match.group(1).rstrip(".") for match in MENTION.finditer(body)))


class CommentService:
    def __init__(self, session: Session, context):
        self.session = session
        self.context = context

    def for_instance(self, instance_id: int, actor: Actor | None = None) -> list[CommentView]:
        """Oldest first, with the authors' display names."""
        access.readable_instance(self.session, actor, instance_id)
        rows = self.session.execute(
            select(Comment, User.display_name).outerjoin(User, User.username == Comment.author)
            .where(Comment.instance_id == instance_id).order_by(Comment.at, Comment.id))
        return [_view(comment, name) for comment, name in rows]

    def add(self, instance_id: int, actor: Actor, body, task_id: str | None = None) -> CommentView:
        instance = access.readable_instance(self.session, actor, instance_id)
        problems = []
        if not isinstance(body, str):
            problems.append(Problem("must be a text (Markdown)", field="body"))
        elif not body.strip():
            problems.append(Problem("write something", field="body"))
        elif len(body) > MAX_BODY:
            problems.append(Problem(f"at most {MAX_BODY:,} characters", field="body"))
        elif "\x00" in body:
            problems.append(Problem("must not contain NUL characters", field="body"))
        task = None
        if task_id is not None:
            task = self.session.get(HumanTask, str(task_id)) if isinstance(task_id, str) and len(task_id) <= 36 \
                else None
            if task is None or task.instance_id != instance.id:
                problems.append(Problem("not a task of this instance", field="task_id"))
        if problems:
            raise InvalidInput("The comment cannot be added", problems)
        comment = Comment(instance_id=instance.id, task_id=task.id if task else None, author=actor.username,
                          at=self.context.clock.now(), body=body.strip())
        self.session.add(comment)
        self.session.flush()
        self._tell_mentioned(instance, comment, task)
        return _view(comment, None)

    def _tell_mentioned(self, instance: ProcessInstance, comment: Comment, task: HumanTask | None) -> None:
        mail = mail_of(self.session)
        names = [n for n in mentioned_names(comment.body) if n != comment.author]
        if mail is None or not names:
            return
        users = self.session.scalars(select(User).where(User.username.in_(names), User.active.is_(True))).all()
        readers = [u.username for u in users
                   if access.may_read_instance(self.session, Actor(u.username, frozenset(r.role for r in u.roles)),
                                               instance)]
        author = self.session.scalar(select(User.display_name).where(User.username == comment.author)) \
            or comment.author
        case = messages.case_label(instance.process_key, instance.id, instance.business_key)
        for person in recipients.find(self.session, "mentions", usernames=readers):
            outbox.queue(self.session, comment.at, "mention", person, messages.mention(
                mail, author, case, instance.id, task.id if task else None, task.name if task else None,
                comment.body, person.language))
        self.session.flush()


def _view(comment: Comment, author_name: str | None) -> CommentView:
    return CommentView(comment.id, comment.author, comment.at, comment.body, comment.task_id, author_name)
