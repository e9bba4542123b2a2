"""E-mail notifications end to end in the engine: outbox rows written with the action, sent by
the worker's mail round to a real SMTP server (aiosmtpd), retried with backoff while it is down."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from engine import Engine
from engine.notifications.delivery import retry_delay
from engine.notifications.worker import run_mail_round
from engine.persistence.models import HumanTask
from engine.persistence.notification_models import DigestEntry, OutgoingMail
from engine.settings import Settings
from tests.conftest import ADMIN
from tests.engine.helpers import CLERK, DIRECTOR, complete, start
from tests.support.mail_server import bodies, mail_server  # noqa: F401  (fixture)

BASE = "https://asp.example.org"
PEOPLE = {"claire": ["Clerk"], "colin": ["Clerk"], "diane": ["Director"], "otto": ["Translator"]}


@pytest.fixture
def engine(database_url, clock, mail_server):  # noqa: F811
    """The engine with mail on, pointed at the test's SMTP server, and people with addresses."""
    engine = Engine(database_url, clock=clock, settings=Settings(smtp_url=mail_server.url, base_url=BASE))
    with engine.unit_of_work() as uow:
        for name, roles in PEOPLE.items():
            uow.identity.add_user(name, roles, display_name=name.title(), email=f"{name}@example.org")
        uow.commit()
    yield engine
    engine.dispose()


@pytest.fixture
def approval(engine, deploy):
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")


def prefer(engine, username, **changes):
    with engine.unit_of_work() as uow:
        uow.notifications.update(username, changes)
        uow.commit()


def outbox(engine):
    with engine.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)).all()
        uow.session.expunge_all()  # kept readable after the unit of work ends
        return rows


def to(name):
    return lambda message: f"<{name}@example.org>" in message["To"]


def test_a_task_ready_in_a_role_is_mailed_to_its_holders_with_a_link(engine, approval, mail_server):
    instance = start(engine, "approval", CLERK)
    task_id = instance.open_tasks[0].id
    complete(engine, task_id, CLERK, {"title": "Chairs", "amount": 10})
    review_id = [m for m in outbox(engine) if m.recipient == "diane"][0]
    assert review_id.kind == "task_ready" and review_id.sent_at is None
    run_mail_round(engine)
    message = mail_server.wait_for(to("diane"))
    text, html = bodies(message)
    assert "Review request" in message["Subject"] and f"approval #{instance.id}" in message["Subject"]
    assert f"{BASE}/tasks/" in text and f'href="{BASE}/tasks/' in html
    # not claire: she made both tasks ready, and is on the page that shows them
    assert {m.recipient for m in outbox(engine) if m.kind == "task_ready"} == {"colin", "diane"}
    assert all(m.sent_at is not None for m in outbox(engine))


def test_a_rolled_back_action_queues_nothing(engine, approval):
    with engine.unit_of_work() as uow:
        uow.runtime.start("approval", actor=CLERK)
        assert uow.session.scalar(select(func.count()).select_from(OutgoingMail)) == 1
    assert outbox(engine) == []


def test_without_a_mail_server_nothing_is_queued(database_url, clock, approval):
    quiet = Engine(database_url, clock=clock, settings=Settings())  # same people, with addresses
    start(quiet, "approval", CLERK)
    assert outbox(quiet) == [] and run_mail_round(quiet).sent == 0
    quiet.dispose()


def test_preference_none_sends_nothing_and_daily_digest_waits_for_the_digest_hour(engine, approval, clock,
                                                                                    mail_server):
    prefer(engine, "claire", task_ready="none")
    prefer(engine, "colin", task_ready="daily_digest")
    first, second = start(engine, "approval", CLERK), start(engine, "approval", CLERK)
    assert outbox(engine) == []
    with engine.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(DigestEntry)) == 2
    assert run_mail_round(engine).digests == 0  # 09:00, the digest left at 08:00
    clock.advance(hours=23)  # 08:00 the next day
    assert run_mail_round(engine).digests == 1
    text, html = bodies(mail_server.wait_for(to("colin")))
    for instance in (first, second):
        assert f"{BASE}/tasks/{instance.open_tasks[0].id}" in text and instance.open_tasks[0].id in html
    assert run_mail_round(engine).digests == 0 and len(mail_server.messages) == 1


def test_mail_waits_with_growing_delays_while_the_server_is_down_and_leaves_when_it_is_back(
        engine, approval, clock, mail_server):
    mail_server.stop()
    start(engine, "approval", CLERK)  # one mail, to colin
    assert run_mail_round(engine).failed == 1
    [mail] = outbox(engine)
    assert mail.attempts == 1 and mail.next_attempt_at == clock.now() + retry_delay(1) and mail.last_error
    assert run_mail_round(engine).failed == 0  # not due yet
    clock.advance(retry_delay(1))
    assert run_mail_round(engine).failed == 1
    assert outbox(engine)[0].next_attempt_at == clock.now() + timedelta(seconds=60) == clock.now() + retry_delay(2)
    mail_server.start()
    clock.advance(retry_delay(2))
    assert run_mail_round(engine).sent == 1
    mail_server.wait_for(to("colin"))
    assert outbox(engine)[0].sent_at == clock.now() and outbox(engine)[0].attempts == 3


def test_an_overdue_task_is_mailed_once(engine, approval, clock, mail_server):
    prefer(engine, "claire", task_ready="none")
    prefer(engine, "colin", task_ready="none", overdue=False)
    instance = start(engine, "approval", CLERK)
    with engine.unit_of_work() as uow:
        uow.session.execute(update(HumanTask).values(due_at=clock.now() + timedelta(hours=1)))
        uow.commit()
    assert run_mail_round(engine).overdue == 0
    clock.advance(hours=2)
    assert run_mail_round(engine).overdue == 1
    message = mail_server.wait_for(to("claire"))
    assert message["Subject"].startswith("Overdue: Submit request")
    assert instance.open_tasks[0].id in bodies(message)[0]
    clock.advance(hours=2)
    assert run_mail_round(engine).overdue == 0 and len(mail_server.messages) == 1


def test_the_people_of_a_task_are_reminded_once_as_its_due_time_draws_near(engine, approval, clock, mail_server):
    prefer(engine, "claire", task_ready="none")
    prefer(engine, "colin", task_ready="none", overdue=False)
    instance = start(engine, "approval", CLERK)
    with engine.unit_of_work() as uow:
        uow.session.execute(update(HumanTask).values(due_at=clock.now() + timedelta(days=5)))
        uow.commit()
    assert run_mail_round(engine).reminders == 0  # 48 hours before by default
    clock.advance(days=3, hours=1)
    assert run_mail_round(engine).reminders == 1
    message = mail_server.wait_for(to("claire"))
    assert message["Subject"].startswith("Due soon: Submit request")
    assert instance.open_tasks[0].id in bodies(message)[0]
    clock.advance(hours=2)
    assert run_mail_round(engine).reminders == 0 and len(mail_server.messages) == 1


def test_mail_is_written_in_the_language_the_recipient_reads_the_pages_in(engine, approval, mail_server):
    with engine.unit_of_work() as uow:
        uow.identity.set_language("diane", "fr")
        uow.commit()
    instance = start(engine, "approval", CLERK)
    complete(engine, instance.open_tasks[0].id, CLERK, {"title": "Chairs", "amount": 10})
    run_mail_round(engine)
    message = mail_server.wait_for(to("diane"))
    text, html = bodies(message)
    assert message["Subject"].startswith("Tâche à traiter : ") and "Ouvrir la tâche" in text
    assert "Secrétariat de l&#x27;Assemblée des États Parties" in html


def test_a_task_made_ready_inside_the_reminder_window_gets_no_reminder(engine, approval, clock):
    prefer(engine, "claire", task_ready="none")
    start(engine, "approval", CLERK)
    with engine.unit_of_work() as uow:
        uow.session.execute(update(HumanTask).values(due_at=clock.now() + timedelta(hours=30)))
        uow.commit()
    assert run_mail_round(engine).reminders == 0
    assert not [m for m in outbox(engine) if m.kind == "task_due_soon"]


def test_the_starter_hears_that_their_instance_completed(engine, approval, mail_server):
    for name in ("claire", "colin", "diane"):
        prefer(engine, name, task_ready="none")
    instance = start(engine, "approval", CLERK)
    complete(engine, instance.open_tasks[0].id, CLERK, {"title": "Chairs", "amount": 10})
    with engine.unit_of_work() as uow:
        review = uow.tasks.list(DIRECTOR).items[0]
    complete(engine, review.id, DIRECTOR, {"approved": True})
    run_mail_round(engine)
    message = mail_server.wait_for(to("claire"))
    assert message["Subject"] == f"Completed: approval #{instance.id}"
    assert f"{BASE}/instances/{instance.id}" in bodies(message)[0]


def test_an_assignment_by_an_administrator_tells_the_new_holder(engine, approval, mail_server):
    prefer(engine, "claire", task_ready="none")
    instance = start(engine, "approval", CLERK)
    prefer(engine, "colin", task_ready="each")
    with engine.unit_of_work() as uow:
        uow.session.execute(OutgoingMail.__table__.delete())
        uow.tasks.assign(instance.open_tasks[0].id, ADMIN, "colin")
        uow.commit()
    [mail] = outbox(engine)
    assert mail.recipient == "colin" and "assigned to you" in mail.body_text


def test_mentions_tell_the_named_readers_of_the_instance(engine, approval, mail_server):
    for name in ("claire", "colin", "diane"):
        prefer(engine, name, task_ready="none")
    instance = start(engine, "approval", CLERK)
    with engine.unit_of_work() as uow:
        uow.comments.add(instance.id, CLERK, "Could @diane look? And @otto, and @nobody, and me @claire.",
                         task_id=instance.open_tasks[0].id)
        uow.commit()
    assert [m.recipient for m in outbox(engine)] == ["diane"]  # otto may not read it; nobody does not exist
    run_mail_round(engine)
    text, html = bodies(mail_server.wait_for(to("diane")))
    assert "Claire mentioned you" in text and "Could @diane look?" in text
    assert f"{BASE}/tasks/{instance.open_tasks[0].id}" in html


def test_with_mail_on_a_completion_costs_one_lookup_more_and_no_insert_when_nobody_wants_mail(
        engine, approval, database_url, clock):
    """The hot path (issue 9): the recipients are found in one query that leaves out those who
    want nothing; an outbox row is written only for someone to tell."""
    from tests.engine.test_lean_paths import statements
    quiet = Engine(database_url, clock=clock, settings=Settings())
    for name in PEOPLE:
        prefer(engine, name, task_ready="none")
    counts = {}
    for label, which in (("off", quiet), ("on", engine)):
        instance = start(which, "approval", CLERK)
        start(which, "approval", CLERK)  # the spec is cached, as on a running server
        with statements(which) as sent:
            complete(which, instance.open_tasks[0].id, CLERK, {"title": "Chairs", "amount": 10})
        counts[label] = sent
    assert len(counts["on"]) == len(counts["off"]) + 1, (len(counts["on"]), len(counts["off"]))
    assert not [s for s in counts["on"] if "mail_outbox" in s or "digest_entries" in s]
    assert outbox(engine) == []
    quiet.dispose()


def test_the_mail_settings_are_typed_and_a_wrong_value_is_refused_with_its_name():
    from engine.notifications.settings import MailSettings
    from engine.settings import SettingsError
    settings = Settings.from_environment({"SECRETARIAT_SMTP_URL": "smtps://bot:secret@mail.icc.example:2465",
                                          "SECRETARIAT_DIGEST_HOUR": "6",
                                          "SECRETARIAT_BASE_URL": "https://asp.example.org/",
                                          "SECRETARIAT_MAIL_FROM": "workflow@asp.example.org"})
    mail = MailSettings.from_settings(settings)
    assert mail.server == ("mail.icc.example", 2465, True, "bot", "secret")
    assert (mail.digest_hour, mail.base_url, mail.mail_from) == (6, "https://asp.example.org",
                                                                 "workflow@asp.example.org")
    assert MailSettings.from_settings(Settings.from_environment({})) is None
    for name, value in (("DIGEST_HOUR", "24"), ("DIGEST_HOUR", "eight"), ("BASE_URL", "asp.example.org")):
        with pytest.raises(SettingsError, match=f"SECRETARIAT_{name}"):
            Settings.from_environment({f"SECRETARIAT_{name}": value})


def test_any_service_recording_a_delegation_tells_the_new_holder(engine, approval, clock):
    """Delegation (issue 12, another service) records `task_delegated` with data.assignee: the
    hook finds it by the event, whoever wrote it."""
    from engine.services.execution import record
    prefer(engine, "claire", task_ready="none")
    prefer(engine, "colin", task_ready="none")
    instance = start(engine, "approval", CLERK)
    prefer(engine, "colin", task_ready="each")
    task_id = instance.open_tasks[0].id
    with engine.unit_of_work() as uow:
        uow.session.execute(update(HumanTask).where(HumanTask.id == task_id).values(assignee="colin"))
        record(uow.session, instance.id, clock.now(), "task_delegated", CLERK, "submit_request", task_id,
               {"assignee": "colin", "reason": "on leave"})
        uow.commit()
    [mail] = outbox(engine)
    assert (mail.recipient, mail.kind) == ("colin", "task_ready") and task_id in mail.body_text


def test_the_starter_hears_that_their_instance_stopped_on_an_error(engine, deploy, mail_server):
    deploy("script_error.bpmn", "note.schema.json")
    instance = start(engine, "script_error", CLERK, divisor=0)
    assert instance.state == "error"
    [mail] = outbox(engine)
    assert (mail.recipient, mail.kind) == ("claire", "instance_error")
    run_mail_round(engine)
    message = mail_server.wait_for(to("claire"))
    assert message["Subject"] == f"Stopped on an error: script_error #{instance.id}"
    text, html = bodies(message)
    assert "division by zero" in text and f'href="{BASE}/instances/{instance.id}"' in html


def test_starting_many_instances_at_once_looks_each_role_up_once(engine, approval):
    from tests.engine.test_lean_paths import statements
    with statements(engine) as sent, engine.unit_of_work() as uow:
        uow.runtime.start_many("approval", [{} for _ in range(5)], actor=CLERK)
        uow.commit()
    lookups = [s for s in sent if "user_roles" in s and "notification_preferences" in s]
    assert len(lookups) == 1, lookups
    assert [m.recipient for m in outbox(engine)] == ["colin"] * 5
