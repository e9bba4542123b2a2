"""Property-based: requests generated from the OpenAPI document (Schemathesis) against the live app.

For every documented operation, valid and invalid requests alike: no answer is a server
error, every status and media type is one the document lists for that operation, every body
matches its documented schema, and the app refuses calls without credentials. Bounded to a
couple of minutes on two cores: a few dozen examples per operation and no shrinking time."""
from __future__ import annotations

import itertools
import os

import pytest

from tests.webapp.api.client import start
from tests.webapp.api.optional_packages import require

schemathesis = require("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402 - after the check above
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance, ignored_auth, not_a_server_error, response_headers_conformance,
    response_schema_conformance, status_code_conformance,
)
from webapp.api.openapi import DOCUMENT

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance, ignored_auth]
EXAMPLES_PER_OPERATION = int(os.environ.get("API_PROPERTY_EXAMPLES", "25"))  # more for a deeper run by hand
# Revoking the caller's own token would leave every later operation with nothing but 401s; its
# rules are tested on their own (tests/webapp/security/test_credentials.py).
OPERATION_IDS = [op["operationId"] for item in DOCUMENT["paths"].values() for op in item.values()
                 if op["operationId"] != "revokeCurrentToken"]


@pytest.fixture
def api_schema(live_server, api_as, deployed):
    """The served document, with some real data behind it: instances, tasks and a waiting timer."""
    clerk = api_as("claire")
    for key in ("approval", "timer_interrupting", "message_wait"):
        start(clerk, key, {"order_id": "A-1"} if key == "message_wait" else {})
    return schemathesis.openapi.from_url(f"{live_server}/api/v1/openapi.json")


@pytest.fixture
def real_ids(api_schema, api_as):
    """Ids that name something, so that operations on one instance, task or timer get past 404."""
    ada = api_as("ada")
    instances = [i["id"] for i in ada.get("/process-instances").json["items"]]
    tasks = [t["id"] for t in ada.get("/tasks?scope=all").json["items"]]
    jobs = [j["id"] for j in ada.get("/jobs").json]
    return {"instance_id": instances, "task_id": tasks, "job_id": jobs, "key": ["approval", "message_wait"]}


def exchanges(operation, mode: GenerationMode, call) -> None:
    """Hypothesis drives `call` with cases generated for one operation."""
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def exchange(case):
        call(case)
    exchange()


def test_every_generated_request_gets_a_documented_answer_and_never_a_server_error(api_schema, live_server, tokens,
                                                                                   real_ids):
    headers = {"Authorization": f"Bearer {tokens['ada']}"}
    turn = itertools.count()

    def call(case):
        number = next(turn)
        if case.path_parameters and number % 2 == 0:  # every other case on a real instance, task or timer
            for name in case.path_parameters:
                if real_ids.get(name):
                    case.path_parameters[name] = real_ids[name][number % len(real_ids[name])]
        case.call_and_validate(base_url=f"{live_server}/api/v1", headers=headers, checks=CHECKS, timeout=30)

    failures = []
    for operation_id in OPERATION_IDS:
        operation = api_schema.find_operation_by_id(operation_id)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                exchanges(operation, mode, call)
            except Unsatisfiable:  # nothing to make invalid: an operation without parameters or body
                assert mode == GenerationMode.NEGATIVE, operation_id
            except Exception as error:  # noqa: BLE001 - every operation is tried; all failures reported
                failures.append(f"{operation_id} ({mode.value}): {type(error).__name__}: {error}")
    assert not failures, "\n\n".join(failures)
