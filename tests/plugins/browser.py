"""Fixtures: browser (see tests/conftest.py)."""
