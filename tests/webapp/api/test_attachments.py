"""Attachments over the API (issue 12): upload, list and download a case's files, as whoever
may read the case; the size limit, the sniffed content type, the sha256 and the safe name."""
from __future__ import annotations

import hashlib
import uuid

import pytest

from tests.webapp.api.client import Api
from webapp import create_app

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def upload(api, instance_id: int, content: bytes, filename: str = "note.pdf", **fields):
    import io
    return api.call("POST", f"/process-instances/{instance_id}/attachments",
                    data={"file": (io.BytesIO(content), filename), **fields}, content_type="multipart/form-data")


def test_an_uploaded_file_is_listed_and_downloaded_identical(api_as, approval):
    task_id = approval["open_tasks"][0]["id"]
    stored = upload(api_as("claire"), approval["id"], PDF, "../Budget <2027>.pdf", task_id=task_id)
    assert stored.status == 201, stored
    body = stored.json
    assert (body["filename"], body["content_type"], body["size"]) == ("Budget _2027_.pdf", "application/pdf", len(PDF))
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert (body["author"], body["task_id"]) == ("claire", task_id)
    assert stored.headers["Location"] == f"/api/v1/attachments/{body['id']}"
    assert api_as("diane").get(f"/process-instances/{approval['id']}/attachments").json == [body]
    download = api_as("diane").get(f"/attachments/{body['id']}")
    assert download.status == 200 and download.response.get_data() == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "Budget _2027_.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_the_content_type_comes_from_the_bytes_not_the_client(api_as, approval):
    html = upload(api_as("claire"), approval["id"], b"<html><script>alert(1)</script></html>", "report.pdf")
    assert html.json["content_type"] == "text/plain"
    blob = upload(api_as("claire"), approval["id"], bytes(range(256)), "photo.png")
    assert blob.json["content_type"] == "application/octet-stream"


def test_only_readers_of_the_instance_see_or_add_files(api_as, approval):
    stored = upload(api_as("claire"), approval["id"], PDF).json
    assert api_as("otto").get(f"/process-instances/{approval['id']}/attachments").status == 403
    assert api_as("otto").get(f"/attachments/{stored['id']}").status == 403
    assert upload(api_as("otto"), approval["id"], PDF).status == 403
    assert api_as("ada").get(f"/attachments/{stored['id']}").status == 200
    assert api_as("ada").get("/attachments/999999").status == 404
    assert api_as("ada").get("/attachments/abc").status == 404
    assert api_as("ada").get("/process-instances/999999/attachments").status == 404


def test_bad_uploads_are_refused_and_keep_nothing(api_as, approval):
    claire = api_as("claire")
    assert upload(claire, approval["id"], b"").status == 422
    wrong_task = upload(claire, approval["id"], PDF, task_id=str(uuid.uuid4()))
    assert wrong_task.status == 422 and wrong_task.json["errors"][0]["field"] == "task_id"
    no_file = claire.call("POST", f"/process-instances/{approval['id']}/attachments", data={"x": "1"},
                          content_type="multipart/form-data")
    assert no_file.status == 422 and no_file.json["errors"][0]["field"] == "file"
    assert claire.post(f"/process-instances/{approval['id']}/attachments", {"file": "x"}).status == 422
    assert claire.get(f"/process-instances/{approval['id']}/attachments").json == []


@pytest.fixture
def small_limit_app(engine, app, tmp_path):
    """The same users and database, with a 1 kB limit and the files kept in a folder."""
    limited = create_app({"TESTING": True, "SECRET_KEY": "test", "ATTACHMENT_MAX_BYTES": 1024,
                          "ATTACHMENT_FOLDER": str(tmp_path / "files")}, engine=engine)
    yield limited
    engine.context.attachments = app.extensions["engine"].context.attachments.__class__()


def test_over_the_limit_is_413_and_a_folder_keeps_the_bytes(small_limit_app, tokens, approval, tmp_path):
    api = Api(small_limit_app, small_limit_app.test_client(), {"Authorization": f"Bearer {tokens['claire']}"})
    assert upload(api, approval["id"], b"x" * 1025, "big.txt").status == 413
    assert upload(api, approval["id"], b"x" * (200 * 1024), "huge.txt").status == 413
    assert api.get(f"/process-instances/{approval['id']}/attachments").json == []
    stored = upload(api, approval["id"], PDF).json
    digest = hashlib.sha256(PDF).hexdigest()
    assert (tmp_path / "files" / digest[:2] / digest).read_bytes() == PDF
    assert api.get(f"/attachments/{stored['id']}").response.get_data() == PDF


def test_a_file_field_of_a_form_takes_only_a_file_of_its_own_case(api_as, deploy, tmp_path):
    from tests.webapp.api.client import start
    from tests.webapp.attachment_process import deploy_signed_letter
    deploy_signed_letter(deploy, tmp_path)
    claire = api_as("claire")
    mine, other = start(claire, "signed_letter"), start(claire, "signed_letter")
    theirs = upload(claire, other["id"], PDF).json
    task_id = mine["open_tasks"][0]["id"]
    refused = claire.post(f"/tasks/{task_id}/complete", {"data": {"letter": str(theirs["id"])}})
    assert refused.status == 422 and refused.json["errors"][0]["field"] == "letter"
    assert claire.post(f"/tasks/{task_id}/complete", {"data": {"letter": "letter.pdf"}}).status == 422
    ours = upload(claire, mine["id"], PDF, task_id=task_id).json
    done = claire.post(f"/tasks/{task_id}/complete", {"data": {"letter": str(ours["id"])}})
    assert done.status == 200 and done.json["process_instance"]["data"]["letter"] == str(ours["id"])
