"""What a deployment says it was based on (`KEY:VERSION`), and the refusal when someone
deployed a newer version of KEY meanwhile: the second of two managers who opened the same
version must not silently overwrite the first one's change."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import Conflict, InvalidInput, Problem
from engine.persistence.models import Deployment, ProcessDefinition, User

MAX_BASED_ON = 100


class DeployedMeanwhile(Conflict):
    """A newer version of a process was deployed after the version this deployment is based
    on (HTTP 409). `newer` says, per process, who deployed which version when."""

    def __init__(self, message: str, newer: list[dict]):
        super().__init__(message, state="superseded")  # a state: retrying cannot help
        self.newer = newer


def parse_based_on(values: Iterable[str] | None) -> dict[str, int]:
    """`["KEY:VERSION", ...]` -> {KEY: VERSION}; a malformed value is InvalidInput (422)."""
    found: dict[str, int] = {}
    problems: list[Problem] = []
    for raw in list(values or [])[:MAX_BASED_ON + 1]:
        key, colon, number = str(raw).strip().rpartition(":")
        if len(found) >= MAX_BASED_ON:
            problems.append(Problem(f"at most {MAX_BASED_ON} values", field="based_on"))
            break
        if not colon or not key or not number.isdigit() or int(number) < 1 or "\x00" in key or len(key) > 255:
            problems.append(Problem(f"{str(raw)[:80]!r} is not KEY:VERSION (a process id, a colon and a version "
                                    "number from 1)", field="based_on"))
            continue
        if key in found and found[key] != int(number):
            problems.append(Problem(f"two different versions given for {key}", field="based_on"))
            continue
        found[key] = int(number)
    if problems:
        raise InvalidInput("based_on is malformed; nothing was deployed", problems)
    return found


def check_based_on(session: Session, based_on: dict[str, int]) -> None:
    """Raises DeployedMeanwhile when the latest version of any KEY is newer than its VERSION.
    A KEY never deployed has nothing newer (a new process deployed by someone else meanwhile
    would have version 1, newer than nothing: that is caught only when VERSION names it)."""
    newer = []
    for key, version in sorted(based_on.items()):
        row = session.execute(
            select(ProcessDefinition.version, Deployment.deployed_by, Deployment.deployed_at, User.display_name)
            .join(Deployment, Deployment.id == ProcessDefinition.deployment_id)
            .outerjoin(User, User.username == Deployment.deployed_by)
            .where(ProcessDefinition.key == key).order_by(ProcessDefinition.version.desc()).limit(1)).first()
        if row is not None and row.version > version:
            newer.append({"key": key, "based_on": version, "latest_version": row.version,
                          "deployed_by": row.deployed_by, "deployed_by_name": row.display_name or row.deployed_by,
                          "deployed_at": row.deployed_at.isoformat(timespec="seconds")})
    if newer:
        said = "; ".join(
            f"{n['key']} version {n['latest_version']} was deployed by {n['deployed_by_name'] or 'someone'} "
            f"at {n['deployed_at']} UTC, after version {n['based_on']} that this deployment is based on"
            for n in newer)
        raise DeployedMeanwhile(f"Someone deployed meanwhile: {said}. Nothing was deployed.", newer)
