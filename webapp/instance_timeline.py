"""An instance's history as a timeline a person can read: each engine event in words, its
element by name, and the data submitted with it (shown only to those who may see data)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from engine import SYSTEM, Actor
from engine.services.access import sees_everything
from engine.views import HistoryEventView

EVENT_WORDS = {
    "started": "Instance started",
    "completed": "Instance completed",
    "cancelled": "Instance cancelled",
    "suspended": "Instance suspended",
    "resumed": "Instance resumed",
    "retried": "Failed element retried",
    "error": "Failed with an error",
    "task_ready": "Task ready",
    "task_claimed": "Task claimed",
    "task_unclaimed": "Task released",
    "task_assigned": "Task assigned",
    "task_delegated": "Task delegated",
    "task_follow_up_set": "Follow-up date set",
    "task_completed": "Task completed",
    "task_cancelled": "Task withdrawn",
    "gateway_taken": "Path chosen",
    "timer_fired": "Timer fired",
    "timer_fired_manually": "Timer fired by hand",
    "message_received": "Message received",
    "message_sent": "Message sent",
    "event_thrown": "Event thrown",
    "script_completed": "Script ran",
    "decision_made": "Decision made",
    "service_completed": "Service task done",
    "call_activity_completed": "Called process finished",
    "subprocess_completed": "Subprocess finished",
    "start_event": "Start event passed",
    "end_event": "End event reached",
}

# Events a person did; the others the engine did on its own, as a consequence of someone's action.
DONE_BY_A_PERSON = frozenset({"started", "cancelled", "suspended", "resumed", "retried", "task_claimed",
                              "task_unclaimed", "task_assigned", "task_completed", "timer_fired_manually",
                              "task_delegated", "task_follow_up_set"})

# What the `data` entry of an event holds, in words.
DATA_WORDS = {"started": "Start data", "task_completed": "Submitted data", "retried": "Corrected data"}


def event_in_words(event: str) -> str:
    if event in EVENT_WORDS:
        return EVENT_WORDS[event]
    if event.endswith("_caught"):  # boundary events: timer_caught, error_caught, escalation_caught...
        return f"{event.removesuffix('_caught').replace('_', ' ').capitalize()} event caught"
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
        data_label=DATA_WORDS.get(event.event, "Data") if submitted is not None else None,
        data=submitted if shown else None, data_hidden=submitted is not None and not shown)


def _name(username: str | None, display_names: dict[str, str]) -> str | None:
    if username is None:
        return None
    if username in display_names:
        return display_names[username]
    return "the system" if username == SYSTEM.username else username


def _details(event: str, payload: dict, element_names: dict[str, str],
             display_names: dict[str, str] | None = None) -> list[tuple[str, object]]:
    details, names = [], display_names or {}
    moved = event in ("task_assigned", "task_delegated")  # {"from", "to", "assignee", "reason"}
    for key, value in payload.items():
        if moved and key == "to":
            continue  # the same person as `assignee`
        if moved and key == "from":
            details.append(("Taken from", names.get(value, value) if value else "nobody (it was in the lane)"))
        elif key == "date" and event == "task_follow_up_set":
            details.append(("Hidden until", value or "(cleared)"))
        elif key == "to" and isinstance(value, list):
            details.append(("Took the path to", ", ".join(element_names.get(v, v) for v in value) or "nowhere"))
        elif key == "reason":
            details.append(("Reason", value))
        elif key == "message":
            details.append(("Error", value))
        elif key == "version":
            details.append(("Definition version", value))
        elif key == "assignee":
            details.append(("Assigned to", names.get(value, value) if value else "nobody (back to the lane)"))
        elif key == "cycle":
            details.append(("Repeating timer", value))
        else:
            details.append((key.replace("_", " ").capitalize(), value))
    return details
