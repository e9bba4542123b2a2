"""An instance's history as a timeline a person can read: each engine event in words, its
element by name, and the data submitted with it (shown only to those who may see data)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine import SYSTEM, Actor
from engine.services.access import sees_everything
from engine.views import HistoryEventView

EVENT_WORDS = {
    "started": _l("Instance started"),
    "completed": _l("Instance completed"),
    "cancelled": _l("Instance cancelled"),
    "suspended": _l("Instance suspended"),
    "resumed": _l("Instance resumed"),
    "retried": _l("Failed element retried"),
    "error": _l("Failed with an error"),
    "task_ready": _l("Task ready"),
    "task_claimed": _l("Task claimed"),
    "task_unclaimed": _l("Task released"),
    "task_assigned": _l("Task assigned"),
    "task_delegated": _l("Task delegated"),
    "task_follow_up_set": _l("Follow-up date set"),
    "task_completed": _l("Task completed"),
    "task_cancelled": _l("Task withdrawn"),
    "gateway_taken": _l("Path chosen"),
    "timer_fired": _l("Timer fired"),
    "timer_fired_manually": _l("Timer fired by hand"),
    "message_received": _l("Message received"),
    "message_sent": _l("Message sent"),
    "event_thrown": _l("Event thrown"),
    "script_completed": _l("Script ran"),
    "decision_made": _l("Decision made"),
    "service_completed": _l("Service task done"),
    "call_activity_completed": _l("Called process finished"),
    "subprocess_completed": _l("Subprocess finished"),
    "start_event": _l("Start event passed"),
    "end_event": _l("End event reached"),
    "retry_scheduled": _l("Call failed; it will be tried again"),
    "instance_migrated": _l("Instance migrated"),
}

# Events a person did; the others the engine did on its own, as a consequence of someone's action.
DONE_BY_A_PERSON = frozenset({"started", "cancelled", "suspended", "resumed", "retried", "task_claimed",
                              "task_unclaimed", "task_assigned", "task_completed", "timer_fired_manually",
                              "task_delegated", "task_follow_up_set", "instance_migrated"})

# What the `data` entry of an event holds, in words.
DATA_WORDS = {"started": _l("Start data"), "task_completed": _l("Submitted data"), "retried": _l("Corrected data")}


def event_in_words(event: str) -> str:
    if event in EVENT_WORDS:
        return EVENT_WORDS[event]
    if event.endswith("_caught"):  # boundary events: timer_caught, error_caught, escalation_caught...
        return _("%(kind)s event caught", kind=event.removesuffix('_caught').replace('_', ' ').capitalize())
    return event.replace("_", " ").capitalize()


def may_see_data(viewer: Actor) -> bool:
    """Process data may be personal (candidates, salaries): on the instance page, everyone's
    data is shown to those the engine lets read everything (managers and administrators)."""
    return sees_everything(viewer)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    words: str
    actor: str | None
    actor_name: str | None
    by_person: bool
    element_id: str | None
    element_name: str | None
    details: list[tuple[str, object]] = field(default_factory=list)
    data_label: str | None = None
    data: object = None
    data_hidden: bool = False


def timeline(events: list[HistoryEventView], element_names: dict[str, str], display_names: dict[str, str],
             viewer: Actor) -> list[TimelineEntry]:
    """Oldest first. People see the data they submitted themselves; managers and admins see all."""
    return [_entry(e, element_names, display_names, viewer) for e in events]


def failed_element(events: list[HistoryEventView], state: str) -> str | None:
    """The element an instance in error failed on: that of its last `error` event."""
    if state != "error":
        return None
    return next((e.element_id for e in reversed(events) if e.event == "error"), None)


def _entry(event: HistoryEventView, element_names, display_names, viewer: Actor) -> TimelineEntry:
    payload = dict(event.data or {})
    submitted = payload.pop("data", None)
    shown = may_see_data(viewer) or (event.actor is not None and event.actor == viewer.username)
    return TimelineEntry(
        at=event.at, words=event_in_words(event.event), actor=event.actor,
        actor_name=_name(event.actor, display_names), by_person=event.event in DONE_BY_A_PERSON,
        element_id=event.element_id, element_name=element_names.get(event.element_id or ""),
        details=_details(event.event, payload, element_names, display_names),
        data_label=DATA_WORDS.get(event.event, _l("Data")) if submitted is not None else None,
        data=submitted if shown else None, data_hidden=submitted is not None and not shown)


def _name(username: str | None, display_names: dict[str, str]) -> str | None:
    if username is None:
        return None
    if username in display_names:
        return display_names[username]
    return _("the system") if username == SYSTEM.username else username


def _details(event: str, payload: dict, element_names: dict[str, str],
             display_names: dict[str, str] | None = None) -> list[tuple[str, object]]:
    details, names = [], display_names or {}
    moved = event in ("task_assigned", "task_delegated")  # {"from", "to", "assignee", "reason"}
    for key, value in payload.items():
        if moved and key == "to":
            continue  # the same person as `assignee`
        if moved and key == "from":
            details.append((_("Taken from"), names.get(value, value) if value else _("nobody (it was in the lane)")))
        elif key == "date" and event == "task_follow_up_set":
            details.append((_("Hidden until"), value or _("(cleared)")))
        elif key == "to" and isinstance(value, list):
            details.append((_("Took the path to"), ", ".join(element_names.get(v, v) for v in value) or _("nowhere")))
        elif key == "reason":
            details.append((_("Reason"), value))
        elif key == "message":
            details.append((_("Error"), value))
        elif key == "version":
            details.append((_("Definition version"), value))
        elif key == "assignee":
            details.append((_("Assigned to"), names.get(value, value) if value else _("nobody (back to the lane)")))
        elif key == "cycle":
            details.append((_("Repeating timer"), value))
        else:
            details.append((key.replace("_", " ").capitalize(), value))
    return details
