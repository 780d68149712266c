"""SQLAlchemy 2 + Alembic: implements the ports of services.ports."""
