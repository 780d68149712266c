"""Fixtures: database (see tests/conftest.py)."""
