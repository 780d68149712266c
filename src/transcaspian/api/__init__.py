"""The HTTP API (FastAPI). Imports services, settings and domain.errors; never the store."""
