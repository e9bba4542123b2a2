"""One round of the notification work, run by the timer worker after firing timers: queue what
time brought (overdue tasks, the daily digest), then send what is due from the outbox."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from engine.errors import Conflict
from engine.notifications import delivery, scheduled
from engine.persistence.database import claiming

log = logging.getLogger("secretariat.mail")


@dataclass(frozen=True)
class MailRound:
    overdue: int = 0
    reminders: int = 0
    digests: int = 0
    sent: int = 0
    failed: int = 0


def run_mail_round(engine) -> MailRound:
    """Nothing at all when mail is off (no SECRETARIAT_SMTP_URL)."""
    mail = engine.context.mail
    if mail is None:
        return MailRound()
    now = engine.clock.now()
    with engine.unit_of_work() as uow:  # reads only: an idle round takes no write lock
        scheduled_work = scheduled.has_work(uow.session, mail, now)
    overdue = digests = reminders = 0
    if scheduled_work:
        try:
            with engine.unit_of_work(writes=True) as uow:
                claiming(uow.session)  # one worker queues them, the other then finds them queued
                reminders = scheduled.queue_reminders(uow.session, mail, now)
                overdue = scheduled.queue_overdue(uow.session, mail, now)
                digests = scheduled.queue_digests(uow.session, mail, now)
                uow.commit()
        except (Conflict, IntegrityError):  # another worker queued them at the same moment
            overdue = digests = reminders = 0
    with engine.unit_of_work() as uow:
        sending = delivery.has_due(uow.session, now)
    batch = []
    if sending:
        with engine.unit_of_work(writes=True) as uow:
            batch = delivery.claim_due(uow.session, now)
            uow.commit()
    outcomes = delivery.send(mail, batch)
    if outcomes:
        with engine.unit_of_work(writes=True) as uow:
            delivery.record_outcome(uow.session, engine.clock.now(), outcomes)
            uow.commit()
    failed = sum(1 for error in outcomes.values() if error is not None)
    if outcomes:
        log.info("mail: %d sent, %d to retry", len(outcomes) - failed, failed)
    return MailRound(overdue, reminders, digests, len(outcomes) - failed, failed)
