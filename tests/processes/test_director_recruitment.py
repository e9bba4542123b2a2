"""Director recruitment (Annex para 6): the Registrar initiates a competitive procedure, the
Bureau selects in consultation with States Parties, the Registrar appoints. The Bureau decides by
the rules of bureau_rules.dmn: consensus first, then up to three ballots, each needing more than
half of the members listed (at least 11 of them)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from engine import InvalidTaskData, PermissionDenied
from tests.processes.conftest import (
    assigned, complete, fire_timers, get, person, refused, start, the_task, who_did,
)

REGISTRAR = person("registrar", "Registrar")
PRESIDENT = person("bureau.president", "Bureau")
VICE_PRESIDENTS = [person("bureau.vp1", "Bureau"), person("bureau.vp2", "Bureau")]
MEMBERS = [person(f"bureau.member{i:02d}", "Bureau") for i in range(1, 9)]
MEMBER = MEMBERS[0]
BUREAU = [PRESIDENT, *VICE_PRESIDENTS, *MEMBERS]  # 11: the quorum of the Bureau's rules
ARGENTINA = person("delegate.argentina", "States Parties")
SENEGAL = person("delegate.senegal", "States Parties")

PARA_6 = [
    "Comprehensive knowledge of the purposes, principles and procedures of the International Criminal Court",
    "Broad managerial and administrative skills",
    "Managerial skills shown through experience gained at the international level (preferred, if possible)",
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


def advertise_and_shortlist(engine, clock, instance_id, deadline, shortlist=CANDIDATES, others=()):
    complete(engine, the_task(engine, instance_id, "prepare_vacancy"), REGISTRAR, vacancy(deadline))
    assert get(engine, instance_id).active_elements == ["applications_close"]
    assert fire_timers(engine, clock, at(deadline)) == []  # still open all that day
    assert fire_timers(engine, clock, at(deadline).replace(day=at(deadline).day + 1)) == [instance_id]
    screening = the_task(engine, instance_id, "screen_applications")
    assert refused(engine, screening, PRESIDENT)
    return complete(engine, screening, REGISTRAR, {"applications_received": 14, "shortlist": shortlist,
                                                   "other_applicants": list(others),
                                                   "screening_report": "Assessed against paragraph 6."})


def opening(deadline, **changes) -> dict:
    return {"consultation_deadline": deadline, "bureau_members": [m.username for m in BUREAU],
            "consulted_states": [{"state": "Argentine Republic", "delegate": ARGENTINA.username},
                                 {"state": "Republic of Senegal", "delegate": SENEGAL.username}], **changes}


def consult(engine, instance_id, deadline, answers):
    """The Bureau opens the consultation; `answers` maps delegates to their views (None: silent)."""
    task = the_task(engine, instance_id, "open_consultation")
    assert refused(engine, task, REGISTRAR)
    complete(engine, task, PRESIDENT, opening(deadline))
    tasks = assigned(engine, instance_id, "give_views")
    assert set(tasks) == {ARGENTINA.username, SENEGAL.username}
    assert refused(engine, tasks[SENEGAL.username], ARGENTINA) and refused(engine, tasks[ARGENTINA.username], PRESIDENT)
    for delegate, views in answers.items():
        if views is not None:
            complete(engine, tasks[delegate.username], delegate, views)


def bureau_round(engine, instance_id, element_id, choices):
    """Each member completes their own task; nobody completes another's. `choices` are the first
    members' (President, Vice-Presidents, members in order); the others abstain."""
    choices = list(choices) + [("Abstain",)] * (len(BUREAU) - len(choices))
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
    return complete(engine, appointment, REGISTRAR, appointment_record())


def appointment_record(answer="Accepted by the candidate") -> dict:
    return {"appointment_date": "2027-04-01", "entry_on_duty": "2027-05-01", "term_years": 4,
            "appointment_grade": "D-1", "appointment_step": 3, "contract_type": "Fixed-term appointment",
            "letter_reference": "ICC/REG/2027/17", "acceptance": answer}


def test_only_the_registrar_initiates_the_competitive_procedure(engine, processes):
    with pytest.raises(PermissionDenied):
        start(engine, "director_recruitment", PRESIDENT)
    instance = start(engine, "director_recruitment", REGISTRAR)
    task = the_task(engine, instance.id, "prepare_vacancy")
    assert refused(engine, task, PRESIDENT) and refused(engine, task, ARGENTINA)


def test_the_vacancy_must_state_the_requirements_of_paragraph_6(engine, processes):
    instance = start(engine, "director_recruitment", REGISTRAR)
    incomplete = {**vacancy("2027-02-01"), "requirements": PARA_6[1:]}
    with pytest.raises(InvalidTaskData) as caught:
        complete(engine, the_task(engine, instance.id, "prepare_vacancy"), REGISTRAR, incomplete)
    assert [p.field for p in caught.value.problems] == ["requirements"]


def test_experience_at_the_international_level_is_preferred_not_required(engine, processes):
    instance = start(engine, "director_recruitment", REGISTRAR)
    published = complete(engine, the_task(engine, instance.id, "prepare_vacancy"), REGISTRAR,
                         {**vacancy("2027-02-01"), "requirements": PARA_6[:2]})
    assert published.active_elements == ["applications_close"]


def test_bureau_selects_a_candidate_by_consensus_on_the_first_round(engine, clock, processes):
    instance = start(engine, "director_recruitment", REGISTRAR)
    advertise_and_shortlist(engine, clock, instance.id, "2027-02-01")
    consult(engine, instance.id, "2027-02-20", {
        ARGENTINA: {"stance": "Supports the shortlist", "preferred_candidates": ["Ilse Marchetti-Okoro"]},
        SENEGAL: {"stance": "Supports the shortlist with reservations", "comments": "Regional balance"}})
    bureau_round(engine, instance.id, "record_positions", [SELECT_ILSE] * 10)
    final = appoint(engine, instance.id)

    assert final.state == "completed"
    assert final.data["director"] == {
        "name": "Ilse Marchetti-Okoro", "appointed_on": "2027-04-01", "term_years": 4,
        "letter_reference": "ICC/REG/2027/17", "entry_on_duty": "2027-05-01", "grade": "D-1", "step": 3,
        "contract_type": "Fixed-term appointment", "selected_by": "Bureau, by consensus", "round": 1}
    assert final.data["past_rounds"] == [] and final.data["ballots"] == []
    views = {v["state"]: v for v in final.data["state_views"]}
    assert views["Argentine Republic"]["preferred_candidates"] == ["Ilse Marchetti-Okoro"]
    assert views["Republic of Senegal"]["responded"] is True
    assert sorted(p["member"] for p in final.data["positions"]) == sorted(m.username for m in BUREAU)
    done = who_did(engine, instance.id)
    assert done[:3] == [("prepare_vacancy", "registrar"), ("screen_applications", "registrar"),
                        ("open_consultation", "bureau.president")]
    assert sorted(done[3:5]) == [("give_views", "delegate.argentina"), ("give_views", "delegate.senegal")]
    assert sorted(done[5:16]) == sorted(("record_positions", m.username) for m in BUREAU)
    assert done[16:] == [("appoint_director", "registrar")]


def test_bureau_rejection_sends_recruitment_back_to_registrar(engine, clock, processes):
    instance = start(engine, "director_recruitment", REGISTRAR)
    advertise_and_shortlist(engine, clock, instance.id, "2027-02-01", shortlist=CANDIDATES[1:])
    consult(engine, instance.id, "2027-02-20", {ARGENTINA: {"stance": "Objects to the shortlist"},
                                                 SENEGAL: {"stance": "Objects to the shortlist"}})
    back = bureau_round(engine, instance.id, "record_positions", [REJECT] * 11)
    assert [t.element_id for t in back.open_tasks] == ["prepare_vacancy"]
    assert back.data["past_rounds"][0]["outcome"].startswith("the Bureau rejected the shortlist (consensus)")

    # Round 2: re-advertised; Senegal gives no views in time; the Bureau is split, then votes.
    advertise_and_shortlist(engine, clock, instance.id, "2027-04-01")
    consult(engine, instance.id, "2027-04-20", {ARGENTINA: {"stance": "Supports the shortlist"}, SENEGAL: None})
    assert fire_timers(engine, clock, at("2027-04-21")) == [instance.id]
    bureau_round(engine, instance.id, "record_positions",
                 [SELECT_ILSE, ("Select a candidate", "Rafael Sundqvist"), REJECT])
    voted = bureau_round(engine, instance.id, "cast_votes", [SELECT_ILSE] * 6 + [REJECT] * 5)
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
    assert (ballot["counts"], ballot["rejections"], ballot["required"]) == ({"Ilse Marchetti-Okoro": 6}, 5, 6)
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
                         [SELECT_ILSE] * 5 + [("Select a candidate", "Rafael Sundqvist")] * 5)
    assert split.data["ballots"][0]["result"] == "vote" and split.data["ballot"] == 2
    bureau_round(engine, instance.id, "cast_votes", [REJECT] * 6 + [SELECT_ILSE] * 5)
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


def test_after_three_ballots_without_a_majority_the_shortlist_fails(engine, clock, processes):
    instance = start(engine, "director_recruitment", REGISTRAR)
    advertise_and_shortlist(engine, clock, instance.id, "2027-02-01")
    consult(engine, instance.id, "2027-02-20", {ARGENTINA: None, SENEGAL: None})
    fire_timers(engine, clock, at("2027-02-21"))
    bureau_round(engine, instance.id, "record_positions", [SELECT_ILSE, REJECT])
    for _ in range(3):
        bureau_round(engine, instance.id, "cast_votes", [SELECT_ILSE] * 5 + [REJECT] * 5)
    back = get(engine, instance.id)
    assert [t.element_id for t in back.open_tasks] == ["prepare_vacancy"]
    assert "no majority after 3 ballot(s)" in back.data["past_rounds"][0]["outcome"]


def test_the_bureau_sees_every_application_and_may_select_an_applicant_not_shortlisted(engine, clock, processes):
    instance = start(engine, "director_recruitment", REGISTRAR)
    advertise_and_shortlist(engine, clock, instance.id, "2027-02-01", shortlist=CANDIDATES[:1],
                            others=[{"name": "Amara Oyelowo-Berg", "reason": "Less experience of the Court"}])
    consult(engine, instance.id, "2027-02-20", {ARGENTINA: None, SENEGAL: None})
    fire_timers(engine, clock, at("2027-02-21"))
    task = assigned(engine, instance.id, "record_positions")[PRESIDENT.username]
    assert task.form["schema"]["properties"]["candidate"]["enum"] == ["Ilse Marchetti-Okoro", "Amara Oyelowo-Berg"]
    bureau_round(engine, instance.id, "record_positions", [("Select a candidate", "Amara Oyelowo-Berg")] * 11)
    assert get(engine, instance.id).data["selected_candidate"] == "Amara Oyelowo-Berg"


def test_a_misspelt_candidate_is_refused_rather_than_counted_for_nobody(engine, clock, processes):
    instance = start(engine, "director_recruitment", REGISTRAR)
    advertise_and_shortlist(engine, clock, instance.id, "2027-02-01")
    consult(engine, instance.id, "2027-02-20", {ARGENTINA: None, SENEGAL: None})
    fire_timers(engine, clock, at("2027-02-21"))
    task = assigned(engine, instance.id, "record_positions")[PRESIDENT.username]
    with pytest.raises(InvalidTaskData) as caught:
        complete(engine, task, PRESIDENT, {"choice": "Select a candidate", "candidate": "ilse marchetti"})
    assert [p.field for p in caught.value.problems] == ["candidate"]


@pytest.mark.parametrize("change, field", [
    ({"bureau_members": [m.username for m in BUREAU[:10]]}, "bureau_members"),
    ({"bureau_members": [m.username for m in BUREAU[:10]] + ["registrar"]}, "bureau_members.10"),
    ({"consulted_states": [{"state": "Canada", "delegate": "delegate.argentina"}]}, "consulted_states"),
    ({"consulted_states": [{"state": "Canada", "delegate": "nobody.at.all"},
                           {"state": "Japan", "delegate": "delegate.senegal"}]}, "consulted_states.0.delegate"),
])
def test_the_consultation_names_enough_real_people_of_the_right_role(engine, clock, processes, change, field):
    instance = start(engine, "director_recruitment", REGISTRAR)
    advertise_and_shortlist(engine, clock, instance.id, "2027-02-01")
    with pytest.raises(InvalidTaskData) as caught:
        complete(engine, the_task(engine, instance.id, "open_consultation"), PRESIDENT, opening("2027-02-20", **change))
    assert [p.field for p in caught.value.problems] == [field]


def test_positions_are_due_by_the_days_the_bureau_rules_give_after_the_consultation(engine, clock, processes):
    instance = start(engine, "director_recruitment", REGISTRAR)
    advertise_and_shortlist(engine, clock, instance.id, "2027-02-01")
    consult(engine, instance.id, "2027-02-20", {ARGENTINA: None, SENEGAL: None})
    fire_timers(engine, clock, at("2027-02-21"))
    task = assigned(engine, instance.id, "record_positions")[MEMBER.username]
    assert task.due_at == datetime(2027, 3, 6, 23, 59, 59, tzinfo=timezone.utc)


def test_a_candidate_who_declines_the_appointment_leads_to_a_new_advertisement(engine, clock, processes):
    instance = start(engine, "director_recruitment", REGISTRAR)
    advertise_and_shortlist(engine, clock, instance.id, "2027-02-01")
    consult(engine, instance.id, "2027-02-20", {ARGENTINA: None, SENEGAL: None})
    fire_timers(engine, clock, at("2027-02-21"))
    bureau_round(engine, instance.id, "record_positions", [SELECT_ILSE])
    back = complete(engine, the_task(engine, instance.id, "appoint_director"), REGISTRAR,
                    appointment_record("Declined by the candidate"))
    assert [t.element_id for t in back.open_tasks] == ["prepare_vacancy"]
    assert back.data["past_rounds"][0]["outcome"].startswith("Ilse Marchetti-Okoro was selected but declined")


def test_after_three_rounds_without_an_appointment_the_procedure_closes(engine, clock, processes):
    instance = start(engine, "director_recruitment", REGISTRAR)
    for deadline in ("2027-02-01", "2027-03-01", "2027-04-01"):
        advertise_and_shortlist(engine, clock, instance.id, deadline, shortlist=[])
    final = get(engine, instance.id)
    assert final.state == "completed" and final.data["director"] is None
    assert final.data["recruitment_status"].startswith("closed without an appointment after 3 round(s)")
    assert len(final.data["past_rounds"]) == 3
