"""Scripted learner personas that take the self-assessment (see ``driver``)."""
