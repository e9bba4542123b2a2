"""French and English: the page language (Accept-Language, the user's choice, the switch),
validation messages as sentences in both, and a process's own texts per language with a
fallback to the original."""
from __future__ import annotations

import re

import pytest

from tests.conftest import FIXTURES
from tests.engine.helpers import start
from tests.webapp.conftest import csrf_token_from

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.8"}

# The test approval process, with French beside some of its texts (not all: the rest falls back).
FRENCH_TASK = ('<spiffworkflow:property name="formJsonSchemaFilename" value="request.schema.json" />'
               '<spiffworkflow:property name="name_fr" value="Présenter la demande" />'
               '<spiffworkflow:property name="instructions_fr" value="## Présenter une demande&#10;'
               'Indiquez l&#39;intitulé, le montant et une brève justification." />')
FRENCH_FIELDS = {'"title": "Title"': '"title": "Title", "title_fr": "Intitulé"',
                 '"title": "Amount",': '"title": "Amount", "title_fr": "Montant", "description_fr": "En euros",'}


@pytest.fixture
def bilingual(tmp_path, deploy):
    bpmn = (FIXTURES / "approval.bpmn").read_text().replace(
        '<spiffworkflow:property name="formJsonSchemaFilename" value="request.schema.json" />', FRENCH_TASK)
    schema = (FIXTURES / "request.schema.json").read_text()
    for english, both in FRENCH_FIELDS.items():
        assert english in schema
        schema = schema.replace(english, both)
    (tmp_path / "approval.bpmn").write_text(bpmn)
    (tmp_path / "request.schema.json").write_text(schema)
    (tmp_path / "review.schema.json").write_text((FIXTURES / "review.schema.json").read_text())
    deploy("approval.bpmn", "request.schema.json", "review.schema.json", folder=tmp_path)


def lang_of(html: str) -> str:
    return re.search(r'<html lang="([a-z]+)">', html).group(1)


def test_a_french_browser_gets_french_pages_and_an_english_one_english(client):
    french = client.get("/login", headers=FRENCH).get_data(as_text=True)
    assert lang_of(french) == "fr" and "<h1>Se connecter</h1>" in french and "Mot de passe" in french
    english = client.get("/login", headers=ENGLISH).get_data(as_text=True)
    assert lang_of(english) == "en" and "<h1>Sign in</h1>" in english
    assert lang_of(client.get("/login").get_data(as_text=True)) == "en", "no preference: English"


def test_the_switch_before_signing_in_is_remembered_for_the_session(client):
    token = csrf_token_from(client.get("/login", headers=ENGLISH).get_data(as_text=True))
    switched = client.post("/language", data={"language": "fr", "next": "/login", "csrf_token": token},
                           headers=ENGLISH)
    assert switched.status_code == 302 and switched.headers["Location"].endswith("/login")
    page = client.get("/login", headers=ENGLISH).get_data(as_text=True)
    assert lang_of(page) == "fr" and 'value="en"' in page and ">English<" in page, "the switch offers the other"


def test_a_users_choice_is_stored_and_follows_them_to_another_browser(app, engine, browser_as):
    claire = browser_as("claire")
    assert claire.post("/language", {"language": "fr", "next": "/inbox"}).status_code == 302
    with engine.unit_of_work() as uow:
        assert uow.identity.get("claire").language == "fr"
    elsewhere = browser_as("claire")  # a new session, whose browser asks for English
    inbox = elsewhere.get("/inbox", headers=ENGLISH).get_data(as_text=True)
    assert lang_of(inbox) == "fr" and "<h1>Boîte de réception</h1>" in inbox and "Se déconnecter" in inbox
    assert lang_of(browser_as("colin").get("/inbox", headers=FRENCH).get_data(as_text=True)) == "fr"
    assert lang_of(browser_as("colin").get("/inbox", headers=ENGLISH).get_data(as_text=True)) == "en"


def test_an_unknown_language_is_refused_with_a_message_and_changes_nothing(engine, browser_as):
    claire = browser_as("claire")
    answer = claire.post("/language", {"language": "xx", "next": "/inbox"}, follow_redirects=True)
    assert "Choose one of the offered languages." in answer.get_data(as_text=True)
    with engine.unit_of_work() as uow:
        assert uow.identity.get("claire").language is None


def test_validation_messages_are_sentences_about_the_field_in_each_language(engine, bilingual, browser_as):
    task = start(engine, "approval").open_tasks[0]
    claire = browser_as("claire")
    bad = {"title": "", "amount": "-5", "justification": "Because"}
    english = claire.post(f"/tasks/{task.id}", bad, headers=ENGLISH).get_data(as_text=True)
    assert "Please fill in “Title”." in english and "“Amount” must be at least 0." in english
    assert "is a required property" not in english and "minimum" not in english
    french = claire.post(f"/tasks/{task.id}", bad, headers=FRENCH)
    html = french.get_data(as_text=True)
    assert french.status_code == 422 and lang_of(html) == "fr"
    assert "Veuillez remplir « Intitulé »." in html and "« Montant » doit être au moins égal à 0." in html
    assert "Veuillez corriger 2 erreurs" in html and 'value="Because"' in html, "what was typed is kept"


def test_a_task_shows_its_french_texts_and_falls_back_to_the_original(engine, bilingual, browser_as):
    task = start(engine, "approval").open_tasks[0]
    claire = browser_as("claire")
    french = claire.get(f"/tasks/{task.id}", headers=FRENCH).get_data(as_text=True)
    assert "<h1>Présenter la demande</h1>" in french and "Présenter une demande</h2>" in french
    assert "Indiquez l&#39;intitulé" in french or "Indiquez l'intitulé" in french
    assert ">Intitulé" in french and ">Montant" in french and "En euros" in french
    assert ">Justification" in french, "a field with no French title keeps its own"
    assert "Terminer la tâche" in french and "Attribuée à" in french
    english = claire.get(f"/tasks/{task.id}", headers=ENGLISH).get_data(as_text=True)
    assert "<h1>Submit request</h1>" in english and ">Title" in english and "Intitulé" not in english
    inbox = claire.get("/inbox", headers=FRENCH).get_data(as_text=True)
    assert "Présenter la demande" in inbox and "Présenter une demande" in inbox
    assert "04 janv. 2027" in inbox, "dates in the reader's language"


def test_the_api_answers_in_the_language_the_client_asks_for(app, engine, bilingual):
    with engine.unit_of_work() as uow:
        token = uow.identity.issue_token("claire")
        uow.commit()
    task = start(engine, "approval").open_tasks[0]
    api = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    french = api.get(f"/api/v1/tasks/{task.id}", headers={**auth, **FRENCH}).get_json()
    assert french["name"] == "Présenter la demande" and french["instructions"].startswith("## Présenter")
    assert french["form"]["schema"]["properties"]["title"]["title"] == "Intitulé"
    assert api.get(f"/api/v1/tasks/{task.id}", headers={**auth, **ENGLISH}).get_json()["name"] == "Submit request"
    refused = api.post(f"/api/v1/tasks/{task.id}/complete", json={"data": {"amount": 5}}, headers={**auth, **FRENCH})
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0] == {
        "field": "title", "line": None, "element_id": None, "message": "Veuillez remplir « Intitulé »."}
    english = api.post(f"/api/v1/tasks/{task.id}/complete", json={"data": {"amount": 5}}, headers=auth).get_json()
    assert english["errors"][0]["message"] == "Please fill in “Title”."


def test_refusals_read_in_the_page_language_and_the_api_keeps_english(app, engine, bilingual, browser_as):
    """An engine refusal names what it refuses with its parameters; a French page says it in
    French (a state named in it too), while the API's words stay the engine's English."""
    task = start(engine, "approval").open_tasks[0]
    otto = browser_as("otto")  # a translator: the clerk's task is another role's
    refused = otto.get(f"/tasks/{task.id}", headers=FRENCH)
    assert refused.status_code == 403 and "Cette tâche relève d’un autre rôle" in refused.get_data(as_text=True)
    missing = otto.get("/tasks/00000000-0000-4000-8000-000000000000", headers=FRENCH)
    assert missing.status_code == 404
    assert "Aucune tâche 00000000-0000-4000-8000-000000000000" in missing.get_data(as_text=True)
    claire = browser_as("claire")
    done = {"title": "Chairs", "amount": "5", "justification": "Worn out"}
    assert claire.post(f"/tasks/{task.id}", done, headers=FRENCH).status_code in (200, 302, 303)
    again = claire.post(f"/tasks/{task.id}", done, headers=FRENCH)
    assert again.status_code == 409 and "La tâche est déjà terminée" in again.get_data(as_text=True)
    assert "The task is already completed" in claire.post(f"/tasks/{task.id}", done, headers=ENGLISH).get_data(
        as_text=True)
    with engine.unit_of_work() as uow:
        token = uow.identity.issue_token("claire")
        uow.commit()
    api = app.test_client().post(f"/api/v1/tasks/{task.id}/complete", json={"data": done},
                                 headers={"Authorization": f"Bearer {token}", **FRENCH})
    assert api.status_code == 409 and "The task is already completed" in api.get_data(as_text=True)
