"""Fixtures: platform (see tests/conftest.py)."""
