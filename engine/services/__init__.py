"""The engine's services: plain Python over one SQLAlchemy session (the caller's unit of work)."""
