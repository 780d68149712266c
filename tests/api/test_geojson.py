"""GET /api/v1/network.geojson: a valid RFC 7946 FeatureCollection of the whole network."""

API = "/api/v1"


def _features(client, **params):
    response = client.get(f"{API}/network.geojson", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    return collection["features"]


def _valid_position(position):
    lon, lat = position
    return isinstance(lon, float | int) and -180 <= lon <= 180 and -90 <= lat <= 90


def test_every_feature_is_a_valid_point_or_linestring(client):
    features = _features(client)

    assert features
    for feature in features:
        assert feature["type"] == "Feature"
        assert set(feature) >= {"type", "id", "geometry", "properties"}
        geometry = feature["geometry"]
        if feature["properties"]["feature_type"] == "location":
            assert geometry["type"] == "Point"
            assert _valid_position(geometry["coordinates"])
        else:
            assert geometry["type"] == "LineString"
            assert len(geometry["coordinates"]) >= 2
            assert all(_valid_position(p) for p in geometry["coordinates"])


def test_it_holds_every_location_and_every_leg(client):
    features = _features(client)
    locations = client.get(f"{API}/locations").json()["total"]
    legs = client.get(f"{API}/legs").json()["total"]

    kinds = [f["properties"]["feature_type"] for f in features]
    assert kinds.count("location") == locations
    assert kinds.count("leg") == legs


def test_positions_are_longitude_then_latitude(client):
    by_id = {f["id"]: f for f in _features(client)}

    lon, lat = by_id["KZAAU"]["geometry"]["coordinates"]
    assert 50 < lon < 52 and 43 < lat < 44  # Aktau, on the Caspian shore of Kazakhstan
    ferry = by_id["KZAAU-AZALA-ferry"]
    assert ferry["geometry"]["coordinates"][0] == [lon, lat]


def test_leg_features_carry_mode_gauge_corridors_figures_and_sources(client):
    ferry = next(f for f in _features(client) if f["id"] == "KZAAU-AZALA-ferry")

    props = ferry["properties"]
    assert props["mode"] == "ferry" and props["gauge_mm"] is None
    assert "middle" in props["corridors"]
    assert props["distance_km"] > 0 and props["distance_source_ids"]
    assert props["time_p50_h"] <= props["time_p90_h"] and props["time_source_ids"]


def test_the_corridor_filter_keeps_its_legs_and_the_locations_they_touch(client):
    features = _features(client, corridor="northern")

    legs = [f for f in features if f["properties"]["feature_type"] == "leg"]
    locations = {f["id"] for f in features if f["properties"]["feature_type"] == "location"}
    assert legs
    assert all({"northern", "access"} & set(f["properties"]["corridors"]) for f in legs)
    touched = {f["properties"][end] for f in legs for end in ("origin", "destination")}
    assert locations == touched
    assert "KZAAU-AZALA-ferry" not in {f["id"] for f in legs}


def test_the_mode_filter_keeps_only_that_mode(client):
    features = _features(client, mode="ferry")

    legs = [f for f in features if f["properties"]["feature_type"] == "leg"]
    assert legs and {f["properties"]["mode"] for f in legs} == {"ferry"}
