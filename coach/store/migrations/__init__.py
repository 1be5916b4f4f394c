"""Alembic migrations of the learner database (run by ``coach.store.sql`` on open)."""
