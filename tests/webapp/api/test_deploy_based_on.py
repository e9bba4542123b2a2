"""POST /deployments with `based_on` KEY:VERSION: 409 when someone deployed meanwhile, saying
who deployed which version when, and nothing stored; a malformed value is 422."""
from __future__ import annotations

import io

from tests.conftest import FIXTURES


def loop_counter(name: str) -> bytes:
    return (FIXTURES / "loop_counter.bpmn").read_text().replace(
        'name="Loop counter"', f'name="{name}"', 1).encode()


def deploy(api, name: str, *based_on: str):
    data = {"files": [(io.BytesIO(loop_counter(name)), "loop_counter.bpmn")], "note": name}
    if based_on:
        data["based_on"] = list(based_on)
    return api.call("POST", "/deployments", data=data, content_type="multipart/form-data")


def versions(api) -> list[int]:
    return [v["version"] for v in api.call("GET", "/process-definitions/loop_counter").json]


def test_the_second_manager_of_one_version_gets_409_naming_who_deployed(api_as):
    mara, ada = api_as("mara"), api_as("ada")
    assert deploy(mara, "First").status == 201
    assert deploy(mara, "Mara's change", "loop_counter:1").json["definitions"][0]["version"] == 2
    refused = deploy(ada, "Ada's change", "loop_counter:1")
    assert refused.status == 409 and refused.headers["Content-Type"] == "application/problem+json"
    assert refused.json["state"] == "superseded"
    [newer] = refused.json["newer_versions"]
    assert (newer["key"], newer["based_on"], newer["latest_version"], newer["deployed_by"]) == ("loop_counter", 1, 2, "mara")
    assert "loop_counter version 2 was deployed by" in refused.json["detail"]
    assert versions(mara) == [2, 1]


def test_based_on_the_latest_deploys(api_as):
    mara = api_as("mara")
    deploy(mara, "First")
    assert deploy(mara, "Second", "loop_counter:1").status == 201


def test_a_malformed_based_on_is_422_and_stores_nothing(api_as):
    mara = api_as("mara")
    deploy(mara, "First")
    answer = deploy(mara, "Second", "loop_counter")
    assert answer.status == 422 and answer.json["errors"][0]["field"] == "based_on"
    assert versions(mara) == [1]
