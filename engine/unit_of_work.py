"""The engine's front door: one `Engine` per database, one `UnitOfWork` per action.

    engine = Engine("sqlite:///secretariat.db")
    with engine.unit_of_work() as uow:
        instance = uow.runtime.start("document_processing", data={...}, actor=alice)
        uow.commit()

Leaving the block without `commit()` rolls everything back, history included.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine.attachment_storage import AttachmentPolicy
from engine.bpmn.data_stores import data_stores_in
from engine.bpmn.process_helpers import directory_in
from engine.bpmn.scripting import RestrictedScriptEngine, ScriptPolicy
from engine.bpmn.workflow import install_spiff_fixes
from engine.clock import Clock, SystemClock
from engine.errors import Conflict
from engine.notifications import hooks as notification_hooks
from engine.notifications.settings import MailSettings
from engine.persistence.database import Database
from engine.persistence.writer_turn import NoTurnToWrite
from engine.services.data_stores import DatabaseDataStores
from engine.services.directory import role_members
from engine.settings import Settings

T = TypeVar("T")


@dataclass
class EngineContext:
    """What every service needs besides the session."""
    clock: Clock = field(default_factory=SystemClock)
    script_policy: ScriptPolicy = field(default_factory=ScriptPolicy)
    attachments: AttachmentPolicy = field(default_factory=AttachmentPolicy)  # from the settings
    mail: MailSettings | None = None  # None: no SMTP server, no notifications

    @cached_property
    def token_cache(self):
        from engine.services.token_cache import TokenCache
        return TokenCache()

    @cached_property
    def script_engine(self) -> RestrictedScriptEngine:
        return RestrictedScriptEngine(self.script_policy)


# What the drivers say when another transaction got in the way, by code, not by message text:
# SQLite's SQLITE_BUSY and SQLITE_LOCKED (with their extended codes, e.g. BUSY_SNAPSHOT 517),
# PostgreSQL's serialization failure, deadlock and lock-not-available SQLSTATEs.
_SQLITE_CONTENTION = {5, 6}
_POSTGRES_CONTENTION = {"40001", "40P01", "55P03"}


def _is_concurrency_failure(error: BaseException) -> bool:
    if isinstance(error, (StaleDataError, NoTurnToWrite)):
        return True
    if isinstance(error, DBAPIError):
        code = getattr(error.orig, "sqlite_errorcode", None)
        if code is not None:
            return code & 0xFF in _SQLITE_CONTENTION
        return getattr(error.orig, "sqlstate", None) in _POSTGRES_CONTENTION
    return False


class UnitOfWork:
    def __init__(self, session: Session, context: EngineContext):
        self.session = session
        self.context = context

    def __enter__(self) -> "UnitOfWork":
        # BPMN data stores and SpiffArena's `get_group_members` read in this unit's transaction
        self._surroundings = contextlib.ExitStack()
        self._surroundings.enter_context(data_stores_in(DatabaseDataStores(self.session, self.context.clock)))
        self._surroundings.enter_context(directory_in(role_members(self.session)))
        return self

    def __exit__(self, exc_type, exc, tb):
        self._surroundings.close()
        self.session.rollback()
        self.session.close()
        if exc is not None and _is_concurrency_failure(exc):
            raise Conflict("The instance was changed by someone else meanwhile; reload and try again") from exc
        return False

    def commit(self) -> None:
        try:
            self.session.commit()
        except Exception as error:
            self.session.rollback()
            if _is_concurrency_failure(error):
                raise Conflict("The instance was changed by someone else meanwhile; reload and try again") from error
            raise

    @cached_property
    def repository(self):
        from engine.services.repository import RepositoryService
        return RepositoryService(self.session, self.context)

    @cached_property
    def runtime(self):
        from engine.services.runtime import RuntimeService
        return RuntimeService(self.session, self.context)

    @cached_property
    def tasks(self):
        from engine.services.tasks import TaskService
        return TaskService(self.session, self.context)

    @cached_property
    def history(self):
        from engine.services.history import HistoryService
        return HistoryService(self.session, self.context)

    @cached_property
    def identity(self):
        from engine.services.identity import IdentityService
        return IdentityService(self.session, self.context)

    @cached_property
    def drafts(self):
        from engine.services.drafts import DraftService
        return DraftService(self.session, self.context)

    @cached_property
    def directory(self):
        from engine.services.directory import DirectoryService
        return DirectoryService(self.session, self.context)

    @cached_property
    def migration(self):
        from engine.services.migration import MigrationService
        return MigrationService(self.session, self.context)

    @cached_property
    def attachments(self):
        from engine.services.attachments import AttachmentService
        return AttachmentService(self.session, self.context)

    @cached_property
    def saved_filters(self):
        from engine.services.saved_filters import SavedFilterService
        return SavedFilterService(self.session, self.context)

    @cached_property
    def comments(self):
        from engine.services.comments import CommentService
        return CommentService(self.session, self.context)

    @cached_property
    def notifications(self):
        from engine.notifications.preferences import PreferenceService
        return PreferenceService(self.session, self.context)

    @cached_property
    def jobs(self):
        from engine.services.jobs import JobService
        return JobService(self.session, self.context)

    @cached_property
    def dashboard(self):
        from engine.services.dashboard import DashboardService
        return DashboardService(self.session, self.context)

    @cached_property
    def field_labels(self):
        from engine.services.field_labels import FieldLabelService
        return FieldLabelService(self.session, self.context)

    @cached_property
    def heatmap(self):
        from engine.services.heatmap import HeatmapService
        return HeatmapService(self.session, self.context)


class Engine:
    def __init__(self, database_url: str | None = None, clock: Clock | None = None,
                 script_policy: ScriptPolicy | None = None, settings: Settings | None = None):
        """`settings`: default from the SECRETARIAT_* environment (mail needs SECRETARIAT_SMTP_URL)."""
        install_spiff_fixes()
        self.database = Database(database_url)
        settings = settings or Settings.from_environment()
        mail = MailSettings.from_settings(settings)
        # The CLI and the workers store attachments where the web app does (the app may still
        # set its own policy from its configuration).
        attachments = AttachmentPolicy(settings.attachment_folder, settings.attachment_max_bytes)
        self.context = EngineContext(clock or SystemClock(), script_policy or ScriptPolicy(),
                                     attachments=attachments, mail=mail)
        if mail is not None:
            notification_hooks.install(self.database, mail)

    @property
    def clock(self) -> Clock:
        return self.context.clock

    def upgrade_database(self) -> None:
        self.database.upgrade()

    def unit_of_work(self, writes: bool = False) -> UnitOfWork:
        """`writes=True` for a unit of work that will change something: on SQLite it then waits
        its turn to write from the start rather than failing when it first writes."""
        return UnitOfWork(self.database.session(writes), self.context)

    def attempt(self, action: Callable[[UnitOfWork], T], attempts: int = 3,
                stale_states: tuple[str, ...] = ("open",)) -> T:
        """Run `action(uow)` and commit; when another transaction changed the instance meanwhile
        (a parallel branch completed at the same moment), run it again on the fresh state. A
        Conflict that carries a state (the task is already completed) is final and raised;
        `stale_states` are states that only show the row was read before the other commit."""
        for attempt in range(1, attempts + 1):
            try:
                with self.unit_of_work(writes=True) as uow:
                    result = action(uow)
                    uow.commit()
                return result
            except Conflict as conflict:
                if (conflict.state is not None and conflict.state not in stale_states) or attempt == attempts:
                    raise
        raise AssertionError("unreachable")

    def run_due_jobs(self, limit: int = 100) -> list[int]:
        """Fire every due timer, one instance per transaction; safe with several workers."""
        fired: list[int] = []
        passed: set[int] = set()
        while len(fired) < limit:
            try:
                with self.unit_of_work(writes=True) as uow:
                    instance_id = uow.jobs.claim_next_due(exclude=passed)
                    if instance_id is None:
                        return fired
                    passed.add(instance_id)
                    if uow.jobs.fire_due(instance_id) is not None:
                        fired.append(instance_id)
                    uow.commit()
            except Conflict:
                continue  # another worker advanced that instance first
        return fired

    def dispose(self) -> None:
        self.database.dispose()
