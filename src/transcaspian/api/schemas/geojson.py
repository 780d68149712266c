"""The corridor network as a GeoJSON FeatureCollection (RFC 7946).

Locations are Point features, legs LineString features from origin to destination. Positions
are ``[longitude, latitude]`` in WGS84, as RFC 7946 requires. Each feature's ``id`` is the
location or leg id; ``properties.feature_type`` is ``location`` or ``leg``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from transcaspian.domain.network import Leg, Location, LocationId

__all__ = ["GEOJSON_MEDIA_TYPE", "feature_collection", "leg_feature", "location_feature"]

GEOJSON_MEDIA_TYPE = "application/geo+json"


def feature_collection(
    locations: Iterable[Location], legs: Iterable[Leg], by_id: Mapping[LocationId, Location]
) -> dict[str, Any]:
    """A FeatureCollection of the locations (points) then the legs (lines between ``by_id``)."""
    features = [location_feature(x) for x in locations]
    features += [leg_feature(x, by_id[x.origin], by_id[x.destination]) for x in legs]
    return {"type": "FeatureCollection", "features": features}


def location_feature(location: Location) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": location.location_id,
        "geometry": {"type": "Point", "coordinates": [location.lon, location.lat]},
        "properties": {
            "feature_type": "location",
            "location_id": location.location_id,
            "name": location.name,
            "country": location.country,
            "kind": location.kind.value,
            "un_locode": str(location.un_locode) if location.un_locode else None,
            "source_ids": list(location.sources),
        },
    }


def leg_feature(leg: Leg, origin: Location, destination: Location) -> dict[str, Any]:
    time = leg.running_time
    return {
        "type": "Feature",
        "id": leg.leg_id,
        "geometry": {
            "type": "LineString",
            "coordinates": [[origin.lon, origin.lat], [destination.lon, destination.lat]],
        },
        "properties": {
            "feature_type": "leg",
            "leg_id": leg.leg_id,
            "origin": leg.origin,
            "destination": leg.destination,
            "origin_name": origin.name,
            "destination_name": destination.name,
            "mode": leg.mode.value,
            "gauge_mm": leg.gauge_mm,
            "corridors": sorted(c.value for c in leg.corridors),
            "distance_km": leg.distance_km,
            "distance_source_ids": list(leg.distance_sources),
            "time_min_h": round(time.minimum.total_seconds() / 3600, 3),
            "time_p50_h": round(time.p50.total_seconds() / 3600, 3),
            "time_p90_h": round(time.p90.total_seconds() / 3600, 3),
            "time_source_ids": list(leg.time_sources),
            "bidirectional": leg.bidirectional,
        },
    }
