"""SQLAlchemy implementations of the repository ports, one module per feature."""
