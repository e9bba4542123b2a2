"""The indexes the dashboard's aggregate counts read (migration 0009), declared beside the
models so the schema the code knows matches the one Alembic builds."""
from __future__ import annotations

from sqlalchemy import Index

from engine.persistence.models import HumanTask, ProcessInstance

DASHBOARD_INDEXES = (
    Index("ix_process_instances_started_at", ProcessInstance.started_at),
    Index("ix_process_instances_state_ended_at", ProcessInstance.state, ProcessInstance.ended_at),
    Index("ix_human_tasks_state_lane_created", HumanTask.state, HumanTask.lane, HumanTask.created_at),
    Index("ix_human_tasks_state_due", HumanTask.state, HumanTask.due_at, HumanTask.process_key),
)
