"""The approval-task convention (docs/web.md): a user task whose form has a boolean `approved`
and a string `comment` is a decision. It is drawn as the matter to decide plus Approve and
Reject buttons; a rejection needs a reason. Several members deciding one matter (a
multi-instance task) are counted as a tally. Plain functions over the engine's views."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from engine.views import HistoryEventView
from webapp.form_rendering import type_of

APPROVED, COMMENT = "approved", "comment"
DECISIONS = {"approve": True, "reject": False}
FORM_LEVEL = "(form)"


def is_approval_form(form: dict | None) -> bool:
    properties = ((form or {}).get("schema") or {}).get("properties") or {}
    approved, comment = properties.get(APPROVED), properties.get(COMMENT)
    return isinstance(approved, dict) and isinstance(comment, dict) \
        and type_of(approved) == "boolean" and type_of(comment) == "string"


def decision_form(schema: dict | None, ui_schema: dict | None) -> tuple[dict, dict]:
    """The form drawn for a decision: every field but `approved` (the buttons give it), with the
    comment as a text area that says when it is needed."""
    rest, ui = copy.deepcopy(schema or {}), copy.deepcopy(ui_schema or {})
    (rest.get("properties") or {}).pop(APPROVED, None)
    rest["required"] = [n for n in rest.get("required") or [] if n != APPROVED]
    comment_ui = ui[COMMENT] = ui.get(COMMENT) if isinstance(ui.get(COMMENT), dict) else {}
    comment_ui.setdefault("ui:widget", "textarea")
    if COMMENT not in rest["required"]:
        given = comment_ui.get("ui:help") or rest["properties"][COMMENT].get("description")
        comment_ui["ui:help"] = (given + " " if given else "") + "A comment is required when you reject."
    return rest, ui


def the_matter(data: dict, schema: dict | None) -> dict:
    """The task data gathered by earlier steps, without the fields this decision fills in."""
    asked = set((schema or {}).get("properties") or {})
    return {k: v for k, v in (data or {}).items()
            if k not in asked and not str(k).startswith("_") and v not in (None, "", [], {})}


@dataclass(frozen=True)
class Vote:
    member: str | None
    approved: bool | None
    comment: str | None
    at: datetime


def votes_so_far(events: list[HistoryEventView], element_id: str, excluding_task: str) -> list[Vote]:
    """Decisions already taken on the same element of the instance (the other members' votes)."""
    votes = []
    for event in events:
        if event.event != "task_completed" or event.element_id != element_id or event.task_id == excluding_task:
            continue
        submitted = (event.data or {}).get("data") or {}
        votes.append(Vote(event.actor, submitted.get(APPROVED), submitted.get(COMMENT), event.at))
    return votes


def decision_data(decision: str | None, submitted: dict) -> tuple[dict, dict[str, str]]:
    """The data to submit for a decision, or the problems that stop it (checked before the engine)."""
    if decision not in DECISIONS:
        return submitted, {FORM_LEVEL: "Choose Approve or Reject."}
    comment = submitted.get(COMMENT)
    if not DECISIONS[decision] and not (isinstance(comment, str) and comment.strip()):
        return submitted, {COMMENT: _("Give the reason for rejecting in the comment.")}
    return {**submitted, APPROVED: DECISIONS[decision]}, {}


@dataclass(frozen=True)
class Position:
    member: str | None
    submitted: dict
    at: datetime


def positions_so_far(events: list[HistoryEventView], element_id: str, excluding_task: str) -> list[Position]:
    """What others already submitted on the same element of the instance: the other members'
    positions on a multi-instance task, whatever its form."""
    return [Position(e.actor, (e.data or {}).get("data") or {}, e.at) for e in events
            if e.event == "task_completed" and e.element_id == element_id and e.task_id != excluding_task]


# -- the tally of a decision taken by several members (a multi-instance approval task) -----

FOR, AGAINST, ABSTAIN, NOT_YET = "for", "against", "abstain", "not_yet"


@dataclass(frozen=True)
class MemberPosition:
    """One member's place in the tally, by the name people know them by."""
    username: str | None
    name: str
    position: str  # FOR | AGAINST | ABSTAIN | NOT_YET
    comment: str | None = None
    at: datetime | None = None


def tally(votes: list[Vote], waiting: list, display_names: dict[str, str], lane_words) -> list[MemberPosition]:
    """Every member: those who voted (for, against, or abstained: neither), then those still to
    vote (the open tasks on the same element, this one included). `lane_words(task)` names an
    unassigned task's pool ("a member of the Bureau")."""
    voted = [MemberPosition(v.member, display_names.get(v.member or "", v.member or "—"),
                            FOR if v.approved is True else AGAINST if v.approved is False else ABSTAIN,
                            v.comment, v.at) for v in votes]
    pending = [MemberPosition(t.assignee, display_names.get(t.assignee, t.assignee) if t.assignee else lane_words(t),
                              NOT_YET) for t in waiting]
    return voted + pending


def counts(positions: list[MemberPosition]) -> dict[str, int]:
    return {kind: sum(p.position == kind for p in positions) for kind in (FOR, AGAINST, ABSTAIN, NOT_YET)}
