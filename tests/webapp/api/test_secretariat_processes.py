"""Each of the Secretariat's processes (processes/ and forms/) runs start to end over the API alone,
whatever valid data its people give: no path may loop forever.

Nothing here knows the processes: they are deployed over HTTP, the directory holds people for
every lane (21 for the Bureau), and each instance is driven by completing whatever task is open
with valid data for its form, chosen at random from a fixed seed (any enum value, so any branch;
people from the directory, as the form's `x-directory-role` enum offers them), as a user holding
the task's lane role (or as the user the task is assigned to), and by firing timers as an
administrator when only a timer is left, until the instance completes or a step cap is hit."""
from __future__ import annotations

import random
import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests.webapp.api.form_data import minimal_valid
from tests.webapp.api.http_client import HttpApi
from tests.webapp.api.optional_packages import require

require("hypothesis")  # strings for form fields with a `pattern`

ROOT = Path(__file__).resolve().parents[3]
MAX_STEPS = 1500  # a cap far above any run seen, so that only a loop without end reaches it
SEEDS = (2027,)  # one fixed walk per run keeps the suite fast; change the seed to explore others
PEOPLE_PER_LANE = {"Bureau": 21}  # the others: 3 each
BPMN_NS = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


@pytest.fixture(params=["sqlite"])
def database_url(tmp_path, sqlite_template):
    """SQLite only: a walk of the processes, not a test of persistence (the engine's tests cover both
    databases), and the longest test of the API suite."""
    path = tmp_path / "engine.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def bundle_files() -> list[tuple[str, bytes]]:
    paths = [*sorted((ROOT / "processes").rglob("*")), *sorted((ROOT / "forms").rglob("*"))]
    return [(p.name, p.read_bytes()) for p in paths if p.suffix in (".bpmn", ".dmn", ".json") and p.is_file()]


def lanes_of(xml: str) -> list[str]:
    lanes = ElementTree.fromstring(xml.encode()).iter(f"{BPMN_NS}lane")
    return [lane.get("name") for lane in lanes if lane.get("name")]


class Staff:
    """HTTP clients for users made on demand: one per lane role, and each user a task is assigned to."""

    def __init__(self, app, engine, server: str, admin_token: str):
        self.app, self.engine, self.server = app, engine, server
        self.clients: dict[str, HttpApi] = {"ada": HttpApi(app, server, admin_token)}

    @property
    def admin(self) -> HttpApi:
        return self.clients["ada"]

    def user(self, username: str, roles=()) -> HttpApi:
        """The user's client; a user named again for another lane is given that role too."""
        with self.engine.unit_of_work() as uow:
            if username not in self.clients:
                uow.identity.add_user(username, list(roles))
                self.clients[username] = HttpApi(self.app, self.server, uow.identity.issue_token(username))
            elif not set(roles) <= uow.identity.get(username).roles:
                uow.identity.set_roles(username, uow.identity.get(username).roles | set(roles))
            uow.commit()
        return self.clients[username]

    def for_lane(self, lane: str | None) -> HttpApi:
        if lane is None:
            return self.admin
        return self.user(_slug(lane) + ".1", [lane])

    def fill_directory(self, lanes: list[str]) -> None:
        """People for every lane, so that the forms' directory fields have someone to offer."""
        for lane in lanes:
            for number in range(1, PEOPLE_PER_LANE.get(lane, 3) + 1):
                self.user(f"{_slug(lane)}.{number}", [lane])

    def for_task(self, task: dict) -> HttpApi:
        """Its assignee, else a holder of its candidate group (the lane, or a narrower role)."""
        group = (task["candidate_groups"] or [task["lane"]])[0]
        if task["assignee"]:
            return self.user(task["assignee"], [group] if group else [])
        return self.for_lane(group)


def _slug(lane: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", lane).strip("-").lower()


def start_as_someone_allowed(staff: Staff, key: str, lanes: list[str]) -> dict:
    for lane in lanes:
        client = staff.for_lane(lane)
        if any(d["key"] == key and d["can_start"] for d in client.get("/process-definitions").json):
            break
    else:
        client = staff.admin
    answer = client.post("/process-instances", {"process_key": key, "business_key": f"run-{key}"})
    assert answer.status == 201, answer.text
    return answer.json


def next_task(tasks: list[dict], last_element: str | None) -> dict:
    """Stay with the element just worked on (the other instances of a multi-instance task) first."""
    return next((t for t in tasks if t["element_id"] == last_element), tasks[0])


def run_to_the_end(staff: Staff, instance: dict, rng: random.Random) -> list[str]:
    """Drive one instance until it completes; returns the elements of the tasks completed."""
    url, done, last = f"/process-instances/{instance['id']}", [], None
    for _ in range(MAX_STEPS):
        instance = staff.admin.get(url).json
        if instance["state"] == "completed":
            return done
        assert instance["state"] == "running", failure(staff, url, f"the instance is {instance['state']}")
        if instance["open_tasks"]:
            task = next_task(instance["open_tasks"], last)
            schema = (task["form"] or {}).get("schema")
            data = minimal_valid(schema, variant=rng.randrange(1000)) if schema else {}
            answer = staff.for_task(task).post(f"/tasks/{task['id']}/complete", {"data": data})
            assert answer.status == 200, f"completing {task} with {data}: {answer.text}"
            done.append(task["element_id"])
            last = task["element_id"]
            continue
        jobs = staff.admin.get(f"/jobs?process_instance_id={instance['id']}").json
        assert jobs, failure(staff, url, f"it waits on neither a task nor a timer: {instance['active_elements']}")
        fired = staff.admin.post(f"/jobs/{jobs[0]['id']}/execute")
        assert fired.status == 200, fired.text
    pytest.fail(failure(staff, url, f"not completed after {MAX_STEPS} steps; completed tasks: {done}"))


def failure(staff: Staff, url: str, what: str) -> str:
    errors = [e for e in staff.admin.get(f"{url}/history").json if e["event"] == "error"]
    return f"{url}: {what}" + (f"; last error: {errors[-1]}" if errors else "")


def test_each_secretariat_process_runs_to_the_end_over_http_whatever_valid_data_people_give(
        app, engine, live_server, tokens):
    files = bundle_files()
    if not any(name.endswith(".bpmn") for name, _ in files):
        pytest.skip("processes/ holds no BPMN yet: nothing to run")
    staff = Staff(app, engine, live_server, tokens["ada"])
    deployed = HttpApi(app, live_server, tokens["mara"]).deploy(files)
    assert deployed.status == 201, deployed.text
    keys = [d["key"] for d in deployed.json["definitions"]]
    lanes = list(dict.fromkeys(lane for key in keys
                               for lane in lanes_of(staff.admin.get(f"/process-definitions/{key}/bpmn").text)))
    staff.fill_directory(lanes)
    for seed in SEEDS:
        rng = random.Random(seed)
        for key in keys:
            instance = start_as_someone_allowed(staff, key, lanes)
            completed_tasks = run_to_the_end(staff, instance, rng)
            assert staff.admin.get(f"/process-instances/{instance['id']}").json["ended_at"] is not None, key
            assert completed_tasks or not lanes, f"{key} completed without a single human task"
            STEPS[key] = max(STEPS.get(key, 0), len(completed_tasks))


STEPS: dict[str, int] = {}  # the longest run of each process, for whoever reads -s output
