"""Two people completing the same task at the same moment, over real HTTP: exactly one wins."""
from __future__ import annotations

import threading

from tests.webapp.api.http_client import HttpApi

ROUNDS = 4


def complete_at_once(apis: dict[str, HttpApi], task_ids, data) -> dict:
    """Each person completes their task (the same one, or one each) at the same moment."""
    barrier = threading.Barrier(len(apis))
    outcomes: dict = {}

    def complete(name: str, api: HttpApi, task_id: str) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[name] = api.post(f"/tasks/{task_id}/complete", {"data": data(name)})
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            outcomes[name] = error

    threads = [threading.Thread(target=complete, args=(name, api, task_id))
               for (name, api), task_id in zip(apis.items(), task_ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for name, outcome in outcomes.items():
        if isinstance(outcome, BaseException):
            raise AssertionError(f"{name}'s request failed") from outcome
    return outcomes


def test_two_simultaneous_completions_give_one_200_and_one_409_with_the_task_state(app, live_server, tokens,
                                                                                   deployed):
    apis = {name: HttpApi(app, live_server, tokens[name]) for name in ("claire", "colin")}
    for _ in range(ROUNDS):
        instance = apis["claire"].post("/process-instances", {"process_key": "approval"}).json
        task_id = instance["open_tasks"][0]["id"]
        outcomes = complete_at_once(apis, [task_id, task_id], lambda name: {"title": f"by {name}", "amount": 1})
        assert sorted(o.status for o in outcomes.values()) == [200, 409]
        [winner] = [n for n, o in outcomes.items() if o.status == 200]
        [loser] = [o for o in outcomes.values() if o.status == 409]
        assert loser.json["state"] == "completed"
        after = apis["claire"].get(f"/process-instances/{instance['id']}").json
        assert [t["element_id"] for t in after["open_tasks"]] == ["review_request"]
        assert after["data"]["title"] == f"by {winner}"
        history = apis["claire"].get(f"/process-instances/{instance['id']}/history").json
        completions = [e for e in history if e["event"] == "task_completed" and e["task_id"] == task_id]
        assert [e["actor"] for e in completions] == [winner]


def test_two_people_completing_parallel_tasks_of_one_instance_at_once_both_succeed(app, live_server, tokens,
                                                                                  deployed, deploy):
    deploy("gateways.bpmn")
    apis = {name: HttpApi(app, live_server, tokens[name]) for name in ("claire", "colin")}
    for _ in range(ROUNDS):
        instance = apis["claire"].post("/process-instances", {"process_key": "gateways",
                                                              "data": {"mode": "fast", "branches": ["a"]}}).json
        notes = sorted(instance["open_tasks"], key=lambda t: t["element_id"])
        assert [t["element_id"] for t in notes] == ["note_one", "note_two"]
        outcomes = complete_at_once(apis, [t["id"] for t in notes], lambda name: {"note": f"by {name}"})
        assert [o.status for o in outcomes.values()] == [200, 200], [o.text for o in outcomes.values()]
        after = apis["claire"].get(f"/process-instances/{instance['id']}").json
        assert after["state"] == "completed" and after["data"]["note"] in ("by claire", "by colin")
