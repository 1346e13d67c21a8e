"""Shared test setup: the stand-in Hub fixtures (`hub_stub`, `hub_env`) for every test."""

pytest_plugins = ["tests.hubstub.fixture"]
