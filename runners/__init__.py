"""Dramatiq actors and the judging pipeline: compile, run, check, score."""
