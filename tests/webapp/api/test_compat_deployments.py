"""Deploying other modelers' files over the API: `.bpmn20.xml` accepted, remarks as `warnings`."""
from __future__ import annotations

import io

from tests.compat.conftest import MODELS


def test_a_flowable_file_deploys_with_its_warnings_in_the_answer(api_as):
    files = [(io.BytesIO((MODELS / name).read_bytes()), name)
             for name in ("flowable_translation.bpmn20.xml", "translation.schema.json")]
    answer = api_as("mara").call("POST", "/deployments", data={"files": files}, content_type="multipart/form-data")
    assert answer.status == 201
    assert answer.json["definitions"] == [{"key": "compat_flowable_translation", "version": 1, "new": True}]
    translated = [w for w in answer.json["warnings"] if w["element_id"] == "flowRevise"]
    assert translated and translated[0]["file"] == "flowable_translation.bpmn20.xml" and translated[0]["line"]
    assert translated[0]["message"].startswith("Converted: the JUEL condition ${not empty comments")
    assert any(w["message"].startswith("Ignored: flowable:initiator") for w in answer.json["warnings"])


def test_an_ordinary_deployment_answers_an_empty_warning_list(api_as):
    files = [(io.BytesIO((MODELS / "event_subprocess.bpmn").read_bytes()), "event_subprocess.bpmn")]
    answer = api_as("mara").call("POST", "/deployments", data={"files": files}, content_type="multipart/form-data")
    assert answer.status == 201 and answer.json["warnings"] == []
