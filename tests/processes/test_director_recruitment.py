"""Director recruitment (Annex para 6): the Registrar initiates a competitive procedure, the
Bureau selects in consultation with States Parties, the Registrar appoints."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from engine import PermissionDenied
from tests.processes.conftest import (
    assigned, complete, fire_timers, get, person, refused, start, the_task, who_did,
)

REGISTRAR = person("registrar", "Registrar")
PRESIDENT = person("bureau.president", "Bureau")
VICE_PRESIDENT = person("bureau.vp1", "Bureau")
MEMBER = person("bureau.member01", "Bureau")
BUREAU = [PRESIDENT, VICE_PRESIDENT, MEMBER]
ARGENTINA = person("delegate.argentina", "States Parties")
SENEGAL = person("delegate.senegal", "States Parties")

PARA_6 = [
    "Comprehensive knowledge of the purposes, principles and procedures of the International Criminal Court",
    "Broad managerial and administrative skills",
    "Experience gained at the international level, where possible",
]
CANDIDATES = [
    {"name": "Ilse Marchetti-Okoro", "nationality": "Fictionland", "current_post": "Deputy Registrar",
     "knowledge_of_court": "Ten years in the Registry", "managerial_skills": "Led a section of 60 staff",
     "international_experience": "Served in two international tribunals"},
    {"name": "Rafael Sundqvist", "nationality": "Utopia", "knowledge_of_court": "Adviser to a delegation",
     "managerial_skills": "Head of a conference services unit"},
]


def vacancy(deadline: str) -> dict:
    return {"post_title": "Director of the Secretariat of the Assembly of States Parties", "grade": "D-1",
            "duty_station": "The Hague", "requirements": PARA_6, "announcement_text": "The Assembly seeks ...",
            "application_deadline": deadline, "channels": ["Court website (e-Recruitment)"]}


def at(day: str):
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=timezone.utc)


def advertise_and_shortlist(engine, clock, instance_id, deadline, shortlist=CANDIDATES):
    complete(engine, the_task(engine, instance_id, "prepare_vacancy"), REGISTRAR, vacancy(deadline))
    assert get(engine, instance_id).active_elements == ["applications_close"]
    assert fire_timers(engine, clock, at(deadline)) == []  # still open all that day
    assert fire_timers(engine, clock, at(deadline).replace(day=at(deadline).day + 1)) == [instance_id]
    screening = the_task(engine, instance_id, "screen_applications")
    assert refused(engine, screening, PRESIDENT)
    return complete(engine, screening, REGISTRAR, {"applications_received": 14, "shortlist": shortlist,
                                                   "screening_report": "Assessed against paragraph 6."})


def consult(engine, instance_id, deadline, answers):
    """The Bureau opens the consultation; `answers` maps delegates to their views (None: silent)."""
    opening = the_task(engine, instance_id, "open_consultation")
    assert refused(engine, opening, REGISTRAR)
    complete(engine, opening, PRESIDENT, {
        "consultation_deadline": deadline, "bureau_members": [m.username for m in BUREAU],
        "consulted_states": [{"state": "Argentine Republic", "delegate": ARGENTINA.username},
                             {"state": "Republic of Senegal", "delegate": SENEGAL.username}]})
    tasks = assigned(engine, instance_id, "give_views")
    assert set(tasks) == {ARGENTINA.username, SENEGAL.username}
    assert refused(engine, tasks[SENEGAL.username], ARGENTINA) and refused(engine, tasks[ARGENTINA.username], PRESIDENT)
    for delegate, views in answers.items():
        if views is not None:
            complete(engine, tasks[delegate.username], delegate, views)


def bureau_round(engine, instance_id, element_id, choices):
    """Each member completes their own task; nobody completes another's."""
    tasks = assigned(engine, instance_id, element_id)
    assert set(tasks) == {m.username for m in BUREAU}
    assert refused(engine, tasks[MEMBER.username], PRESIDENT) and refused(engine, tasks[MEMBER.username], REGISTRAR)
    for member, choice in zip(BUREAU, choices):
        data = {"choice": choice[0], **({"candidate": choice[1]} if len(choice) > 1 else {})}
        result = complete(engine, tasks[member.username], member, data)
    return result


SELECT_ILSE = ("Select a candidate", "Ilse Marchetti-Okoro")
REJECT = ("Reject the shortlist",)


def appoint(engine, instance_id):
    appointment = the_task(engine, instance_id, "appoint_director")
    assert refused(engine, appointment, PRESIDENT)
    return complete(engine, appointment, REGISTRAR, {"appointment_date": "2027-04-01", "term_years": 4,
                                                     "letter_reference": "ICC/REG/2027/17"})


def test_only_the_registrar_initiates_the_competitive_procedure(engine, processes):
    with pytest.raises(PermissionDenied):
        start(engine, "director_recruitment", PRESIDENT)
    instance = start(engine, "director_recruitment", REGISTRAR)
    task = the_task(engine, instance.id, "prepare_vacancy")
    assert refused(engine, task, PRESIDENT) and refused(engine, task, ARGENTINA)


def test_the_vacancy_must_state_the_requirements_of_paragraph_6(engine, processes):
    from engine import InvalidTaskData
    instance = start(engine, "director_recruitment", REGISTRAR)
    incomplete = {**vacancy("2027-02-01"), "requirements": PARA_6[:2]}
    with pytest.raises(InvalidTaskData) as caught:
        complete(engine, the_task(engine, instance.id, "prepare_vacancy"), REGISTRAR, incomplete)
    assert [p.field for p in caught.value.problems] == ["requirements"]


def test_bureau_selects_a_candidate_by_consensus_on_the_first_round(engine, clock, processes):
    instance = start(engine, "director_recruitment", REGISTRAR)
    advertise_and_shortlist(engine, clock, instance.id, "2027-02-01")
    consult(engine, instance.id, "2027-02-20", {
        ARGENTINA: {"stance": "Supports the shortlist", "preferred_candidates": ["Ilse Marchetti-Okoro"]},
        SENEGAL: {"stance": "Supports the shortlist with reservations", "comments": "Regional balance"}})
    bureau_round(engine, instance.id, "record_positions", [SELECT_ILSE, SELECT_ILSE, ("Abstain",)])
    final = appoint(engine, instance.id)

    assert final.state == "completed"
    assert final.data["director"] == {
        "name": "Ilse Marchetti-Okoro", "appointed_on": "2027-04-01", "term_years": 4,
        "letter_reference": "ICC/REG/2027/17", "selected_by": "Bureau, by consensus", "round": 1}
    assert final.data["past_rounds"] == [] and final.data["ballots"] == []
    views = {v["state"]: v for v in final.data["state_views"]}
    assert views["Argentine Republic"]["preferred_candidates"] == ["Ilse Marchetti-Okoro"]
    assert views["Republic of Senegal"]["responded"] is True
    assert sorted(p["member"] for p in final.data["positions"]) == sorted(m.username for m in BUREAU)
    done = who_did(engine, instance.id)
    assert done[:3] == [("prepare_vacancy", "registrar"), ("screen_applications", "registrar"),
                        ("open_consultation", "bureau.president")]
    assert sorted(done[3:5]) == [("give_views", "delegate.argentina"), ("give_views", "delegate.senegal")]
    assert sorted(done[5:8]) == sorted(("record_positions", m.username) for m in BUREAU)
    assert done[8:] == [("appoint_director", "registrar")]


def test_bureau_rejection_sends_recruitment_back_to_registrar(engine, clock, processes):
    instance = start(engine, "director_recruitment", REGISTRAR)
    advertise_and_shortlist(engine, clock, instance.id, "2027-02-01", shortlist=CANDIDATES[1:])
    consult(engine, instance.id, "2027-02-20", {ARGENTINA: {"stance": "Objects to the shortlist"},
                                                 SENEGAL: {"stance": "Objects to the shortlist"}})
    back = bureau_round(engine, instance.id, "record_positions", [REJECT, REJECT, REJECT])
    assert [t.element_id for t in back.open_tasks] == ["prepare_vacancy"]
    assert back.data["past_rounds"][0]["outcome"].startswith("the Bureau rejected the shortlist (consensus)")

    # Round 2: re-advertised; Senegal gives no views in time; the Bureau is split, then votes.
    advertise_and_shortlist(engine, clock, instance.id, "2027-04-01")
    consult(engine, instance.id, "2027-04-20", {ARGENTINA: {"stance": "Supports the shortlist"}, SENEGAL: None})
    assert fire_timers(engine, clock, at("2027-04-21")) == [instance.id]
    bureau_round(engine, instance.id, "record_positions",
                 [SELECT_ILSE, ("Select a candidate", "rafael sundqvist"), REJECT])
    voted = bureau_round(engine, instance.id, "cast_votes", [SELECT_ILSE, SELECT_ILSE, REJECT])
    assert [t.element_id for t in voted.open_tasks] == ["appoint_director"]
    final = appoint(engine, instance.id)

    assert final.state == "completed" and final.data["recruitment_round"] == 2
    assert final.data["director"]["name"] == "Ilse Marchetti-Okoro"
    assert final.data["director"]["selected_by"] == "Bureau, by vote"
    [rejected] = final.data["past_rounds"]
    assert rejected["round"] == 1 and [c["name"] for c in rejected["shortlist"]] == ["Rafael Sundqvist"]
    assert {v["state"]: v["responded"] for v in final.data["state_views"]} == {
        "Argentine Republic": True, "Republic of Senegal": False}
    [ballot] = final.data["ballots"]
    assert (ballot["counts"], ballot["rejections"], ballot["required"]) == ({"Ilse Marchetti-Okoro": 2}, 1, 2)
    done = who_did(engine, instance.id)
    assert [e for e, _ in done].count("prepare_vacancy") == 2
    assert ("give_views", "delegate.senegal") not in done[done.index(("prepare_vacancy", "registrar"), 1):]
    assert done[-1] == ("appoint_director", "registrar")


def test_a_ballot_without_a_majority_is_followed_by_another(engine, clock, processes):
    instance = start(engine, "director_recruitment", REGISTRAR)
    instance_id = instance.id
    advertise_and_shortlist(engine, clock, instance.id, "2027-02-01")
    consult(engine, instance.id, "2027-02-20", {ARGENTINA: {"stance": "Takes no position"},
                                                 SENEGAL: {"stance": "Takes no position"}})
    bureau_round(engine, instance.id, "record_positions", [SELECT_ILSE, REJECT, REJECT])
    split = bureau_round(engine, instance.id, "cast_votes",
                         [SELECT_ILSE, ("Select a candidate", "Rafael Sundqvist"), ("Abstain",)])
    assert split.data["ballots"][0]["result"] == "vote" and split.data["ballot"] == 2
    bureau_round(engine, instance.id, "cast_votes", [REJECT, REJECT, SELECT_ILSE])
    back = get(engine, instance.id)
    assert [t.element_id for t in back.open_tasks] == ["prepare_vacancy"]
    assert [b["result"] for b in back.data["past_rounds"][0]["ballots"]] == ["vote", "reject"]
    voters = [who for element, who in who_did(engine, instance_id) if element == "cast_votes"]
    assert sorted(voters) == sorted(m.username for m in BUREAU for _ in range(2))


def test_an_empty_shortlist_re_advertises_the_post(engine, clock, processes):
    instance = start(engine, "director_recruitment", REGISTRAR)
    again = advertise_and_shortlist(engine, clock, instance.id, "2027-02-01", shortlist=[])
    assert [t.element_id for t in again.open_tasks] == ["prepare_vacancy"]
    assert again.data["past_rounds"][0]["outcome"].startswith("no applicant met the requirements")
    assert who_did(engine, instance.id) == [("prepare_vacancy", "registrar"), ("screen_applications", "registrar")]
