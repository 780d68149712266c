"""Where the web front end's files live: the Jinja2 templates, the static files, and those
vendored from npm by ``scripts/build-assets`` (never fetched from a CDN)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["STATIC_DIR", "TEMPLATES_DIR", "VENDOR_FILES", "missing_vendor_assets"]

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES_DIR = Path(__file__).parent / "templates"
VENDOR_FILES = (
    "leaflet/leaflet.js",
    "leaflet/leaflet.css",
    "topojson-client/topojson-client.min.js",
    "world-atlas/countries-50m.json",
    "htmx/htmx.min.js",
    "swagger-ui/swagger-ui-bundle.js",
    "swagger-ui/swagger-ui.css",
)
BUILD_HINT = "run scripts/build-assets (needs npm) to vendor them into the package"


def missing_vendor_assets(static_dir: Path = STATIC_DIR) -> list[str]:
    """The vendored files absent under ``static_dir/vendor`` (paths relative to static/)."""
    return [
        f"vendor/{name}" for name in VENDOR_FILES if not (static_dir / "vendor" / name).is_file()
    ]
