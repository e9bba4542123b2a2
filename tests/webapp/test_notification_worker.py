"""`secretariat serve` with one process: its timer thread also sends the e-mail due."""
from __future__ import annotations

import pytest

from engine import Engine
from engine.settings import Settings
from tests.engine.helpers import CLERK, start
from tests.support.mail_server import mail_server  # noqa: F401  (fixture)
from webapp.serving import TimerWorker

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def engine(database_url, mail_server):  # noqa: F811
    engine = Engine(database_url, settings=Settings(smtp_url=mail_server.url))
    yield engine
    engine.dispose()


def test_the_timer_thread_sends_what_the_outbox_holds(engine, deploy, mail_server):
    with engine.unit_of_work() as uow:
        uow.identity.add_user("colin", ["Clerk"], email="colin@example.org")
        uow.commit()
    deploy("approval.bpmn", "request.schema.json", "review.schema.json")
    start(engine, "approval", CLERK)
    worker = TimerWorker(engine, interval=0.05)
    worker.start()
    try:
        message = mail_server.wait_for(lambda m: "<colin@example.org>" in m["To"])
    finally:
        worker.stopped.set()
        worker.join(timeout=10)
    assert message["Subject"].startswith("Task ready: Submit request")
