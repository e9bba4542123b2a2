"""Process definitions and deployments over the API."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.conftest import FIXTURES

BAD = FIXTURES / "bad"


def upload(api, *paths: Path, as_zip: str | None = None, note: str | None = None, renamed: dict | None = None):
    """POST /deployments with the files (or one zip of them) as repeated `files` parts."""
    renamed = renamed or {}
    files = [(io.BytesIO(p.read_bytes()), renamed.get(p.name, p.name)) for p in paths]
    if as_zip:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for path in paths:
                archive.writestr(f"bundle/{path.name}", path.read_bytes())
        files = [(io.BytesIO(buffer.getvalue()), as_zip)]
    data = {"files": files, **({"note": note} if note else {})}
    return api.call("POST", "/deployments", data=data, content_type="multipart/form-data")


APPROVAL = [FIXTURES / n for n in ("approval.bpmn", "request.schema.json", "review.schema.json")]


def test_a_manager_deploys_files_and_an_unchanged_redeploy_makes_no_new_version(api_as):
    mara = api_as("mara")
    first = upload(mara, *APPROVAL, note="first")
    assert first.status == 201
    assert first.json["definitions"] == [{"key": "approval", "version": 1, "new": True}]
    assert isinstance(first.json["id"], int)
    again = upload(mara, *APPROVAL)
    assert again.status == 201 and again.json["definitions"] == [{"key": "approval", "version": 1, "new": False}]


def test_a_zip_deploys_like_its_files(api_as):
    answer = upload(api_as("mara"), *APPROVAL, as_zip="approval.zip")
    assert answer.status == 201 and answer.json["definitions"][0]["key"] == "approval"


def test_only_managers_deploy(api_as):
    assert upload(api_as("claire"), *APPROVAL).status == 403
    assert upload(api_as("ada"), *APPROVAL).status == 201  # administrators may as well


def test_a_bad_deployment_lists_each_problem_with_file_line_and_element_and_deploys_nothing(api_as):
    mara = api_as("mara")
    answer = upload(mara, BAD / "dangling_flow.bpmn", BAD / "bad_schema" / "bad_schema.bpmn",
                    BAD / "bad_schema" / "broken.schema.json", *APPROVAL)
    assert answer.status == 422
    by_file = {e["file"]: e for e in answer.json["errors"]}
    assert set(by_file) == {"dangling_flow.bpmn", "bad_schema.bpmn", "broken.schema.json"}
    assert by_file["dangling_flow.bpmn"]["line"] and by_file["dangling_flow.bpmn"]["element_id"]
    assert "JSON Schema" in by_file["broken.schema.json"]["message"]
    assert mara.get("/process-definitions").json == []


def test_malformed_xml_is_reported_with_its_line(api_as):
    answer = upload(api_as("mara"), BAD / "malformed.bpmn")
    assert answer.status == 422
    assert answer.json["errors"] == [{"file": "malformed.bpmn", "line": 8, "element_id": None,
                                      "message": answer.json["errors"][0]["message"]}]


def test_a_deployment_without_files_or_with_strange_files_is_invalid(api_as):
    mara = api_as("mara")
    empty = mara.call("POST", "/deployments", data={}, content_type="multipart/form-data")
    assert empty.status == 422 and empty.json["errors"][0]["field"] == "files"
    not_multipart = mara.post("/deployments", {"files": []})
    assert not_multipart.status == 422
    strange = mara.call("POST", "/deployments", data={"files": [(io.BytesIO(b"x"), "notes.txt")]},
                        content_type="multipart/form-data")
    assert strange.status == 422 and strange.json["errors"][0]["file"] == "notes.txt"
    too_long = upload(mara, *APPROVAL, renamed={"approval.bpmn": "a" * 300 + ".bpmn"})
    assert too_long.status == 422


def test_a_zip_holding_a_file_name_too_long_to_keep_is_invalid(api_as):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in APPROVAL:
            archive.writestr(path.name, path.read_bytes())
        archive.writestr("a" * 300 + ".schema.json", (FIXTURES / "note.schema.json").read_bytes())
    answer = api_as("mara").call("POST", "/deployments", data={"files": [(io.BytesIO(buffer.getvalue()), "b.zip")]},
                                 content_type="multipart/form-data")
    assert answer.status == 422 and answer.json["errors"][0]["file"].startswith("b.zip/aaa")


def test_the_latest_definitions_say_whether_the_caller_may_start_them(api_as, deploy):
    deploy(*(p.name for p in APPROVAL))
    clerk = api_as("claire").get("/process-definitions").json
    assert [(d["key"], d["version"], d["name"], d["can_start"]) for d in clerk] == \
        [("approval", 1, "Approval of a request", True)]
    assert set(clerk[0]) >= {"key", "name", "version", "id", "deployed_at", "can_start"}
    assert api_as("otto").get("/process-definitions").json[0]["can_start"] is False


def test_versions_come_newest_first_and_an_unknown_key_is_404(api_as, tmp_path):
    mara = api_as("mara")
    upload(mara, *APPROVAL)
    changed = tmp_path / "approval.bpmn"
    changed.write_text(APPROVAL[0].read_text().replace('name="Approval of a request"', 'name="Approval v2"'))
    upload(mara, changed)
    versions = mara.get("/process-definitions/approval").json
    assert [v["version"] for v in versions] == [2, 1]
    assert versions[0]["name"] == "Approval v2" and versions[0]["instance_count"] == 0
    assert mara.get("/process-definitions").json[0]["version"] == 2
    assert mara.get("/process-definitions/nothing_like_it").status == 404
    assert mara.get("/process-definitions/app%00roval").status == 404


def test_the_bpmn_of_a_version_is_served_as_xml(api_as, deploy):
    deploy(*(p.name for p in APPROVAL))
    api = api_as("claire")
    answer = api.get("/process-definitions/approval/bpmn?version=1")
    assert answer.status == 200 and answer.headers["Content-Type"].startswith("application/xml")
    assert answer.text == APPROVAL[0].read_text()
    assert api.get("/process-definitions/approval/bpmn").text == answer.text
    assert api.get("/process-definitions/approval/bpmn?version=2").status == 404
    assert api.get("/process-definitions/approval/bpmn?version=first").status == 422
    assert api.get("/process-definitions/nothing_like_it/bpmn").status == 404
    assert api.get("/process-definitions/app%00roval/bpmn").status == 404
