"""In a browser: a translator mentions an editor in a comment on a document's instance page, the
worker's mail round sends the e-mail to a real SMTP server, and its link opens the instance
for the editor, with the comment in its thread."""
from __future__ import annotations

import pytest

from engine import Engine
from engine.notifications.worker import run_mail_round
from engine.settings import Settings
from engine.views import Actor
from tests.browser.flows import add_people, deploy_secretariat, expect, windows  # noqa: F401  (fixture)
from tests.engine.helpers import start
from tests.support.mail_server import bodies, mail_server  # noqa: F401  (fixture)

SITE = "https://workflow.asp.example"


@pytest.fixture
def engine(database_url, mail_server):  # noqa: F811  (this walk's engine sends mail)
    engine = Engine(database_url, settings=Settings(smtp_url=mail_server.url, base_url=SITE))
    yield engine
    engine.dispose()


def test_a_translator_mentions_an_editor_who_receives_the_email(engine, windows, mail_server, live_server):
    deploy_secretariat(engine)
    add_people(engine, "secretariat.officer", "translator.fr", "editor.one")
    with engine.unit_of_work() as uow:
        for username in ("secretariat.officer", "translator.fr", "editor.one"):
            uow.notifications.update(username, {"email": f"{username}@asp.example", "task_ready": "none"})
        uow.commit()
    instance = start(engine, "document_processing", Actor("secretariat.officer", frozenset({"Secretariat"})))

    translator = windows.sign_in("translator.fr")
    translator.goto(f"/instances/{instance.id}")
    translator.get_by_label("Add to the discussion").fill("@editor.one the French version is ready: please *check* "
                                                  "the terms <b>before</b> printing.")
    translator.get_by_role("button", name="Post", exact=True).click()
    thread = translator.locator("#comments .comment")
    expect(thread).to_have_count(1)
    expect(thread.locator("em")).to_have_text("check")
    expect(thread.locator(".comment-body")).to_contain_text("<b>before</b>")  # shown as typed, never as HTML

    assert run_mail_round(engine).sent == 1
    message = mail_server.wait_for(lambda m: "<editor.one@asp.example>" in m["To"])
    text, html = bodies(message)
    assert "mentioned you" in message["Subject"] and "French translator" in message["Subject"]
    link = f"{SITE}/instances/{instance.id}"
    assert link in text and f'href="{link}"' in html and "please *check* the terms" in text

    editor = windows.sign_in("editor.one")
    editor.goto(link.replace(SITE, live_server))
    expect(editor.locator("#comments .comment-body")).to_contain_text("the French version is ready")
    assert windows.problems() == {}
