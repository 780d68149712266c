"""The web UI (Jinja2 + htmx + Leaflet pages). Imports services; never the store."""
