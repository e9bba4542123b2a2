"""The recruitment of the Director walked through in French: the Registrar and the Bureau use
browsers set to French (Accept-Language fr-FR), and every page they see is in French, the
process's own texts (task names, instructions, form labels and choices) included. The
delegations' part is left to the consultation deadline, and most Bureau members answer
through the engine, to keep the walk short; the English walk is test_secretariat_flows.py."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from engine import Actor
from tests.browser.conftest import PageProblems
from tests.browser.flows import (
    WAIT_MS, Windows, add_people, deploy_secretariat, display_name, expect, screenshot, see, see_heading, see_text,
)
from tests.engine.helpers import complete
from tests.webapp.conftest import PASSWORD

RECRUITMENT = "Recrutement du Directeur du Secrétariat"  # the process name_fr
MEMBERS = ["bureau.president", "bureau.vp1", "bureau.vp2"] + [f"bureau.member{i:02d}" for i in range(1, 19)]
ILSE = "Ilse Marchetti-Okoro"


class FrenchWindows(Windows):
    """One French-speaking browser per person, signed in through the French log-in page."""

    def sign_in(self, username: str):
        if username in self.pages:
            return self.pages[username]
        context = self.chromium.new_context(base_url=self.base_url, viewport={"width": 1280, "height": 900},
                                            locale="fr-FR")
        context.set_default_timeout(WAIT_MS)
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        self.contexts.append(context)
        page = context.new_page()
        page.problems = PageProblems()
        page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        page.goto("/login")
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        see_heading(page, "Se connecter", level=1)
        page.get_by_label("Nom d'utilisateur").fill(username)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_role("button", name="Se déconnecter").wait_for()
        expect(page.locator(".signout .who")).to_have_text(display_name(username))
        self.pages[username] = page
        return page


def at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=timezone.utc)


def go(page, nav_label: str, heading: str) -> None:
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name=nav_label, exact=True).click()
    see_heading(page, heading, level=1)


def field(scope, label: str):
    return scope.get_by_label(re.compile(r"^\s*" + re.escape(label) + r"(\s*\*?\s*\(obligatoire\))?\s*$"))


def group(page, legend: str):
    return page.get_by_role("group", name=re.compile(r"^\s*" + re.escape(legend) + r"(\s*\*?\s*\(obligatoire\))?\s*$"))


def instructions(page):
    return page.get_by_role("region", name="Instructions")


def complete_task(page, task_name: str, button: str = "Terminer la tâche") -> None:
    before = page.url
    with page.expect_response(lambda answer: answer.request.method == "POST") as posted:
        page.get_by_role("button", name=button, exact=True).click()
    assert posted.value.status in (302, 303), f"« {task_name} » n'a pas été terminée : HTTP {posted.value.status}"
    page.wait_for_url(lambda url: url != before)
    see(page.get_by_text(f"« {task_name} » est terminée."))


def open_from_inbox(page, task_name: str) -> None:
    go(page, "Boîte de réception", "Boîte de réception")
    expect(page.get_by_role("columnheader", name="Échéance")).to_be_visible()
    page.get_by_role("table").get_by_role("link", name=task_name, exact=True).first.click()
    see_heading(page, task_name, level=1)


def test_the_registrar_and_the_bureau_recruit_a_director_in_french(chromium, live_server, engine, clock):
    deploy_secretariat(engine)
    add_people(engine, "registrar", *MEMBERS, "delegate.argentina", "delegate.senegal")
    windows = FrenchWindows(chromium, live_server)
    try:
        walk(windows, engine, clock)
    finally:
        windows.close()


def walk(windows, engine, clock):
    # The Registrar starts the recruitment from « Lancer un processus ».
    registrar = windows.sign_in("registrar")
    go(registrar, "Lancer un processus", "Lancer un processus")
    registrar.get_by_role("link", name=f"Lancer “{RECRUITMENT}”").click()
    see_heading(registrar, f"Lancer « {RECRUITMENT} »", level=1)
    registrar.get_by_label("Référence du dossier").fill("ASP/DIR/2027/1")
    registrar.get_by_role("button", name="Lancer", exact=True).click()
    started = registrar.get_by_text(re.compile(r"Vous avez ouvert le dossier n° \d+ \(ASP/DIR/2027/1\)"))
    see(started)
    instance_id = int(re.search(r"n° (\d+)", started.text_content()).group(1))

    see_heading(registrar, "Engager la procédure de mise en concurrence", level=1)
    expect(instructions(registrar)).to_contain_text("procédure de mise en concurrence engagée par le Greffier")
    see_text(registrar, "Les champs marqués * sont obligatoires.")
    expect(registrar.get_by_label("Connaissance approfondie des buts, principes et procédures de la Cour "
                                  "pénale internationale")).to_be_checked()
    field(registrar, "Texte de l'avis").fill("L'Assemblée des États Parties recherche un Directeur pour son Secrétariat.")
    field(registrar, "Date limite de dépôt des candidatures").fill("2027-02-01")
    registrar.get_by_label("Site Web de la Cour (recrutement en ligne)", exact=True).check()
    complete_task(registrar, "Engager la procédure de mise en concurrence")
    see_text(registrar, "Plus rien ne vous attend dans ce dossier pour le moment.")

    clock.set(at("2027-02-02"))
    assert engine.run_due_jobs() == [instance_id]

    # Screening, with a refusal first: the problems are sentences about the fields, in French.
    open_from_inbox(registrar, "Examiner les candidatures et établir la liste restreinte")
    expect(instructions(registrar)).to_contain_text("Examen des candidatures : tour 1")
    first = group(registrar, "Candidat 1")
    field(first, "Nom complet").fill(ILSE)
    with registrar.expect_response(lambda answer: answer.request.method == "POST") as posted:
        registrar.get_by_role("button", name="Terminer la tâche", exact=True).click()
    assert posted.value.status == 422
    summary = registrar.get_by_role("alert")
    expect(summary).to_contain_text("Veuillez corriger")
    expect(summary).to_contain_text("Veuillez remplir « Candidatures reçues ».")
    expect(summary).to_contain_text("Veuillez remplir « Rapport d'examen ».")
    screenshot(registrar, "french-shortlist-refused.png")
    field(registrar, "Candidatures reçues").fill("9")
    first = group(registrar, "Candidat 1")
    expect(field(first, "Nom complet")).to_have_value(ILSE)
    field(first, "Connaissance des buts, principes et procédures de la Cour").fill("Dix ans au Greffe")
    field(first, "Compétences en matière de gestion et d'administration").fill("A dirigé une section de 60 personnes")
    field(registrar, "Rapport d'examen").fill("Neuf candidatures examinées au regard du paragraphe 6.")
    complete_task(registrar, "Examiner les candidatures et établir la liste restreinte")

    # The President of the Bureau opens the consultation from the Bureau page.
    president = windows.sign_in("bureau.president")
    go(president, "Bureau", "Ce qui attend le Bureau")
    president.get_by_role("link", name="Ouvrir la consultation des États Parties", exact=True).click()
    see_heading(president, "Ouvrir la consultation des États Parties", level=1)
    expect(instructions(president)).to_contain_text("en consultation avec les États Parties")
    expect(president.get_by_text("Attribuée à", exact=True)).to_be_visible()
    field(president, "Avis attendus au plus tard le").fill("2027-02-20")
    for _ in range(4):
        president.get_by_role("button", name="Supprimer la ligne (État Partie 2)", exact=True).click()
        see_heading(president, "Ouvrir la consultation des États Parties", level=1)
    expect(field(group(president, "État Partie 2"), "État Partie")).to_have_value("Republic of Senegal")
    complete_task(president, "Ouvrir la consultation des États Parties")
    clock.set(at("2027-02-21"))
    assert engine.run_due_jobs() == [instance_id]  # neither delegation answered by the deadline

    # The President's position: the choices and the refusal in French.
    go(president, "Bureau", "Ce qui attend le Bureau")
    mine = president.get_by_role("row").filter(has=president.get_by_role("cell", name="Vous", exact=True))
    mine.get_by_role("link", name="Faire connaître votre position sur le choix", exact=True).click()
    see_heading(president, "Faire connaître votre position sur le choix", level=1)
    expect(instructions(president)).to_contain_text("Le Bureau recherche d'abord un consensus.")
    president.get_by_role("radio", name="Choisir un candidat", exact=True).check()
    with president.expect_response(lambda answer: answer.request.method == "POST") as posted:
        president.get_by_role("button", name="Terminer la tâche", exact=True).click()
    assert posted.value.status == 422
    expect(president.get_by_role("alert")).to_contain_text("« Candidat »")
    expect(president.get_by_role("radio", name="Choisir un candidat", exact=True)).to_be_checked()
    field(president, "Candidat").select_option(ILSE)
    field(president, "Explication de position").fill("La meilleure connaissance de la Cour.")
    complete_task(president, "Faire connaître votre position sur le choix")

    for member in MEMBERS[1:]:  # the other members answer alike, through the engine
        with engine.unit_of_work() as uow:
            [task] = [t for t in uow.runtime.get(instance_id).open_tasks if t.assignee == member]
        complete(engine, task.id, Actor(member, frozenset({"Bureau"})),
                 {"choice": "Select a candidate", "candidate": ILSE})

    # Consensus: the Registrar appoints, and sees the case closed.
    open_from_inbox(registrar, "Nommer le candidat choisi")
    expect(instructions(registrar)).to_contain_text(f"a choisi {ILSE} (décision prise par consensus)")
    registrar.get_by_role("radio", name="Acceptée par le candidat", exact=True).check()
    field(registrar, "Date de nomination").fill("2027-04-01")
    field(registrar, "Date d'entrée en fonctions").fill("2027-05-01")
    field(registrar, "Référence de la lettre de nomination").fill("ICC/REG/2027/17")
    complete_task(registrar, "Nommer le candidat choisi")
    go(registrar, "Dossiers", "Dossiers")
    registrar.get_by_role("link", name=f"Dossier {instance_id}", exact=True).click()
    expect(registrar.locator("h1 .badge")).to_have_text("Terminé")
    see_text(registrar, "Aucune tâche ouverte.")
    expect(registrar.locator(".timeline")).to_contain_text("Dossier terminé")

    with engine.unit_of_work() as uow:
        final = uow.runtime.get(instance_id)
    assert final.state == "completed" and final.data["director"]["name"] == ILSE
    assert windows.problems() == {}, "no script error on any page"
