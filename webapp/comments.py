"""The comment thread on the instance page and the task page (one partial, drawn by the
`comment_thread` template function), and posting a comment from it.

A refused comment (empty, too long) comes back to the page it was written on with the
message and the text that was typed, kept in the session for that one page view."""
from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from engine import InvalidInput
from webapp.auth import signed_in_only
from webapp.comment_markdown import render_comment
from webapp.engine_access import actor, engine, unit_of_work
from webapp.i18n import problem_message
from webapp.task_routing import local_target

bp = Blueprint("comments", __name__)
signed_in_only(bp)
_DRAFT = "comment_draft"


@bp.post("/instances/<int:instance_id>/comments")
def add(instance_id: int):
    who = actor()
    body, task_id = request.form.get("body", ""), request.form.get("task_id") or None
    back = local_target(request.form.get("next"), url_for("instances.show", instance_id=instance_id))
    try:
        engine().attempt(lambda uow: uow.comments.add(instance_id, who, body, task_id))
    except InvalidInput as refused:
        session[_DRAFT] = {"instance_id": instance_id, "body": body[:20_000],
                           "error": "; ".join(problem_message(p) for p in refused.problems)}
        return redirect(back + "#comments")
    flash(_("Your comment is posted."), "success")
    return redirect(back + "#comments")


def comment_thread(instance_id: int, task_id: str | None = None) -> Markup:
    """The instance's thread, with a form to add to it (about `task_id` when on a task page)."""
    with unit_of_work() as uow:
        comments = uow.comments.for_instance(instance_id, actor())
    draft = session.get(_DRAFT)
    if draft and draft.get("instance_id") == instance_id:
        session.pop(_DRAFT)
    else:
        draft = None
    return Markup(render_template("comments/_thread.html", comments=comments, instance_id=instance_id,
                                  task_id=task_id, draft=draft, render_comment=render_comment,
                                  back=request.full_path.rstrip("?")))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["comment_thread"] = comment_thread
