"""`secretariat demo` and `secretariat deploy`: the processes deploy cleanly, and there is a demo
person for every role the processes use, created once."""
from __future__ import annotations

import json

import pytest
from lxml import etree
from werkzeug.security import generate_password_hash

from engine import cli
from engine.demo import demo_users, load_demo
from tests.processes.conftest import ROOT

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch):
    """scrypt is slow on purpose, and the demo hashes fifty passwords: these tests are about who
    exists, so they hash with a cheap method that `authenticate` still checks."""
    monkeypatch.setattr("engine.services.identity.generate_password_hash",
                        lambda password, method=None: generate_password_hash(password, method="pbkdf2:sha256:1000"))


def lane_names() -> set[str]:
    names = set()
    for path in (ROOT / "processes").glob("*.bpmn"):
        names |= {lane.get("name") for lane in etree.parse(str(path)).iter(f"{BPMN}lane")}
    return names


def users(engine) -> dict:
    with engine.unit_of_work() as uow:
        return {user.username: user for user in uow.identity.list()}


def test_the_demo_deploys_every_process_and_prints_the_log_ins(engine):
    output = load_demo(engine, ROOT)
    with engine.unit_of_work() as uow:
        deployed = {d.key: d.version for d in uow.repository.latest()}
        assert uow.identity.authenticate("bureau.president", "demo-bureau.president") is not None
        assert uow.identity.authenticate("admin", "demo-admin").roles == {"admin"}
    assert deployed == {path.stem: 1 for path in (ROOT / "processes").glob("*.bpmn")}
    assert set(deployed) == {"director_recruitment", "document_processing", "outsourcing_escalation",
                             "session_servicing", "budget_section", "director_report"}
    for user in demo_users():
        assert f"{user.username} " in output and user.password in output and user.display_name in output


def test_there_is_a_demo_person_for_every_lane(engine):
    load_demo(engine, ROOT)
    roles = {role for user in users(engine).values() for role in user.roles}
    assert lane_names() == {"Registrar", "Bureau", "States Parties", "Secretariat", "Author", "Editor",
                            "Translator", "Printing", "Distribution", "Court Sections", "Director", "Procurement",
                            "Conference Services", "Credentials Committee", "Committee on Budget and Finance",
                            "Assembly"}
    languages = {f"Translator ({language})" for language in ("Arabic", "Chinese", "English", "French", "Russian",
                                                               "Spanish")}
    assert lane_names() | {"manager", "admin"} | languages == roles


def test_the_demo_bureau_has_a_president_two_vice_presidents_and_eighteen_members(engine):
    load_demo(engine, ROOT)
    bureau = [u for u in users(engine).values() if "Bureau" in u.roles]
    titles = [u.display_name.rsplit("(", 1)[1] for u in bureau]
    assert len(bureau) == 21 and all(u.display_name.startswith("H.E. ") for u in bureau)
    assert (titles.count("Bureau President)"), titles.count("Bureau Vice-President)"),
            titles.count("Bureau member)")) == (1, 2, 18)


def test_the_forms_propose_the_demo_bureau_and_delegations(engine):
    load_demo(engine, ROOT)
    people = users(engine)
    for form in ("consultation_opening",):
        members = json.loads((ROOT / "forms" / f"{form}.schema.json").read_text())["properties"]["bureau_members"]
        assert sorted(members["default"]) == sorted(u for u, v in people.items() if "Bureau" in v.roles)
    states = json.loads((ROOT / "forms" / "consultation_opening.schema.json").read_text())
    for entry in states["properties"]["consulted_states"]["default"]:
        assert "States Parties" in people[entry["delegate"]].roles


def test_loading_the_demo_again_changes_nothing(engine):
    load_demo(engine, ROOT)
    before = users(engine)
    again = load_demo(engine, ROOT)
    assert users(engine) == before
    assert "0 added" in again and "(new)" not in again
    with engine.unit_of_work() as uow:
        assert {d.version for d in uow.repository.latest()} == {1}


def test_the_command_line_deploys_processes_and_forms_and_loads_the_demo(engine, capsys):
    url = engine.database.url
    assert cli.main(["--database-url", url, "deploy", str(ROOT / "processes"), str(ROOT / "forms")]) == 0
    deployed = capsys.readouterr().out
    for key in ("director_recruitment", "document_processing", "outsourcing_escalation"):
        assert f"{key}: version 1 (new version)" in deployed
    assert cli.main(["--database-url", url, "demo", "--root", str(ROOT)]) == 0
    printed = capsys.readouterr().out
    assert "demo-registrar" in printed and "director_recruitment: version 1 (unchanged)" in printed


def test_the_demo_puts_each_of_the_six_processes_in_use(engine):
    output = load_demo(engine, ROOT)
    with engine.unit_of_work() as uow:
        running = {i.process_key for i in uow.runtime.list(state="running", per_page=100).items}
        waiting = {t.assignee or t.lane for i in uow.runtime.list(per_page=100).items for t in i.open_tasks}
    assert running == {"director_recruitment", "document_processing", "outsourcing_escalation", "session_servicing",
                       "budget_section", "director_report"}
    assert {"author.legal", "liaison.general", "Bureau", "Director", "Translator"} <= waiting
    assert "Session " in output and "ICC-ASP/" in output
