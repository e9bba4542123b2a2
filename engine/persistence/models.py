"""The relational schema. Instances keep their serialized workflow; everything a list or an
inbox shows (tasks, timers, message subscriptions, history) has its own indexed rows."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, TypeDecorator,
    UniqueConstraint, text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, hands back aware UTC: SQLite keeps no time zone, PostgreSQL would convert."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=timezone.utc) if value is not None else None


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict: JSON, list: JSON}


class Deployment(Base):
    __tablename__ = "deployments"
    id: Mapped[int] = mapped_column(primary_key=True)
    deployed_at: Mapped[datetime]
    deployed_by: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)


class Resource(Base):
    """One deployed file version: BPMN, DMN or form. The newest of a name is the current one."""

    __tablename__ = "resources"
    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    __table_args__ = (Index("ix_resources_kind_name", "kind", "name"),)


class ProcessDefinition(Base):
    __tablename__ = "process_definitions"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), index=True)
    name: Mapped[str] = mapped_column(String(255))
    version: Mapped[int]
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id"), index=True)
    bpmn_resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"))
    content_hash: Mapped[str] = mapped_column(String(64))
    # Serialized SpiffWorkflow spec and subprocess specs: stored once here, never per instance;
    # deferred, as the engine keeps parsed specs in memory and reads the text only on a miss.
    spec_json: Mapped[str] = mapped_column(Text, deferred=True)
    # What it was built from, frozen at deploy time: {"forms": {name: resource id},
    # "decisions": [ids], "calls": [process keys]}; a later deploy of any of them makes a new version.
    dependencies: Mapped[dict]
    start_roles: Mapped[list]
    deployment: Mapped[Deployment] = relationship(lazy="joined")
    bpmn_resource: Mapped[Resource] = relationship()
    __table_args__ = (UniqueConstraint("key", "version", name="uq_definition_key_version"),)


class ProcessInstance(Base):
    __tablename__ = "process_instances"
    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definitions.id"), index=True)
    process_key: Mapped[str] = mapped_column(String(255), index=True)
    business_key: Mapped[str | None] = mapped_column(String(255), index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    state_before_suspend: Mapped[str | None] = mapped_column(String(16))
    data: Mapped[dict]
    started_by: Mapped[str | None] = mapped_column(String(120), index=True)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    next_due_at: Mapped[datetime | None] = mapped_column(index=True)
    completed_elements: Mapped[list]
    active_elements: Mapped[list]
    error_message: Mapped[str | None] = mapped_column(Text)
    error_element: Mapped[str | None] = mapped_column(String(255))
    # Deferred: lists and views never need it; an action loads it (see engine.services.execution).
    workflow_json: Mapped[str] = mapped_column(Text, deferred=True)
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False)
    definition: Mapped[ProcessDefinition] = relationship(lazy="joined")
    __mapper_args__ = {"version_id_col": lock_version}


class HumanTask(Base):
    """A ready user or manual task, materialised so an inbox never deserializes workflows."""

    __tablename__ = "human_tasks"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    process_key: Mapped[str] = mapped_column(String(255), index=True)
    element_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255))
    lane: Mapped[str | None] = mapped_column(String(255))
    # The role whose holders may claim it: its lane, unless the process names a narrower one.
    # On the row, so the inbox reads one index per role (task_candidates held it before 0004).
    candidate_group: Mapped[str | None] = mapped_column(String(255))
    assignee: Mapped[str | None] = mapped_column(String(120), index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    completed_at: Mapped[datetime | None]
    completed_by: Mapped[str | None] = mapped_column(String(120))
    form_name: Mapped[str | None] = mapped_column(String(255))
    ui_form_name: Mapped[str | None] = mapped_column(String(255))
    instructions: Mapped[str | None] = mapped_column(Text)
    # The task's spiffworkflow:properties (form names, assignee, approval, ...), for the pages.
    properties: Mapped[dict | None]
    data: Mapped[dict]
    # Hidden from its inbox's default view until this day (issue 12; migration 0007).
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": lock_version}
    __table_args__ = (  # one per branch of the inbox query (engine/services/inbox_query.py)
        Index("ix_human_tasks_inbox_assignee", "state", "assignee", "created_at", "id"),
        Index("ix_human_tasks_inbox_unclaimed", "state", "candidate_group", "created_at", "id",  # migration 0011
              postgresql_where=text("assignee IS NULL"), sqlite_where=text("assignee IS NULL")),
        Index("ix_human_tasks_inbox_created", "state", "created_at", "id"),
    )


class TaskCandidate(Base):
    """Candidate groups as rows, from before each task carried its one group (migration 0004);
    no longer written or read."""

    __tablename__ = "task_candidates"
    task_id: Mapped[str] = mapped_column(ForeignKey("human_tasks.id"), primary_key=True)
    group_name: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)


class HistoryEvent(Base):
    __tablename__ = "history_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    at: Mapped[datetime]
    actor: Mapped[str | None] = mapped_column(String(120))
    event: Mapped[str] = mapped_column(String(40))
    element_id: Mapped[str | None] = mapped_column(String(255))
    task_id: Mapped[str | None] = mapped_column(String(36))
    data: Mapped[dict | None]


class ArchivedTask(Base):
    """A task that left the live workflow once nothing could return to it (a finished loop
    round, multi-instance child or branch): what ran, how it ended and when."""

    __tablename__ = "archived_tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    task_id: Mapped[str] = mapped_column(String(36))
    element_id: Mapped[str | None] = mapped_column(String(255))
    spec_name: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(16))
    ended_at: Mapped[datetime]


class TimerJob(Base):
    """A waiting timer event of an instance; the id is the waiting task's id."""

    __tablename__ = "timer_jobs"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    element_id: Mapped[str] = mapped_column(String(255))
    due_at: Mapped[datetime] = mapped_column(index=True)


class MessageSubscription(Base):
    """An instance waiting for a message, with its correlation values, found without deserializing."""

    __tablename__ = "message_subscriptions"
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    message_name: Mapped[str] = mapped_column(String(255), index=True)
    element_id: Mapped[str] = mapped_column(String(255))
    correlation: Mapped[dict]


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(320))  # for notifications (migration 0008)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    # Raised by a password change or reset, deactivation and signing out: a session cookie
    # carries the epoch it was signed in at, and one from an earlier epoch no longer counts.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    language: Mapped[str | None] = mapped_column(String(8))  # the page language chosen; None: the browser's
    roles: Mapped[list["UserRole"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="UserRole.role")


class UserRole(Base):
    __tablename__ = "user_roles"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class SignInFailure(Base):
    """One wrong password for a user name: five within 15 minutes stop further attempts."""

    __tablename__ = "sign_in_failures"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime]
    __table_args__ = (Index("ix_sign_in_failures_username_at", "username", "at"),)


class Draft(Base):
    """A process diagram a manager is editing: kept on the server, per user, until deployed."""

    __tablename__ = "drafts"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(String(120), index=True)
    process_key: Mapped[str] = mapped_column(String(255), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    xml: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    based_on_version: Mapped[int | None]
    updated_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("owner", "process_key", name="uq_draft_owner_key"),)
