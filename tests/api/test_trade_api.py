"""GET /api/v1/trade/series and /api/v1/trade/forecast on the stored bundled dataset."""


def test_the_series_gives_every_value_with_sources_defined_in_the_response(client):
    response = client.get("/api/v1/trade/series")
    assert response.status_code == 200
    body = response.json()
    assert body["reporter"] == "KZ"  # the series with the most years
    assert body["reporters"] == ["KZ", "AZ"]
    assert body["points"] == len(body["annual"]) == 3
    assert [a["year"] for a in body["annual"]] == [2020, 2022, 2023]
    assert body["gaps"] == [2021]
    assert {a["reporter"] for a in body["annual"]} == {"KZ"}  # no mirror figure joined in
    for observation in body["observations"]:
        assert observation["sources"]
        assert set(observation["sources"]) <= set(body["sources"])
        assert "_" not in observation["flow_label"]
    used_kz = [o for o in body["observations"] if o["used"] and o["reporter"] == "KZ"]
    assert len(used_kz) == body["points"]
    assert body["disagreements"]  # several years have more than one published total


def test_the_mirror_series_is_asked_for_by_reporter(client):
    body = client.get("/api/v1/trade/series", params={"reporter": "AZ"}).json()
    assert body["reporter"] == "AZ"
    assert [(a["year"], a["value_usd_m"]) for a in body["annual"]] == [(2019, 229.6), (2024, 470)]
    response = client.get("/api/v1/trade/forecast", params={"reporter": "AZ"})
    assert response.status_code == 422  # two values leave no year to hold out
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "reporter" in response.text
    response = client.get("/api/v1/trade/series", params={"reporter": "XX"})
    assert response.status_code == 422
    assert "reporter" in response.text


def test_the_forecast_reports_its_backtest_errors(client):
    response = client.get("/api/v1/trade/forecast", params={"horizon": 3, "target": 1000})
    assert response.status_code == 200
    body = response.json()
    assert [y["year"] for y in body["forecast"]] == [body["history"][-1][0] + k for k in (1, 2, 3)]
    assert {b["model"] for b in body["backtests"]} == {"naive", "drift", "theta"}
    scored = [b for b in body["backtests"] if b["scored"]]
    for b in scored:
        assert b["held_out"] == len(b["errors"]) >= 1
        assert b["mape"] >= 0
        assert [e["year"] for e in b["errors"]] == body["held_out"]  # the same years for all
    for b in body["backtests"]:
        if not b["scored"]:
            assert b["skipped"] and b["mape"] is None and b["errors"] == []
    assert body["model"] == min(scored, key=lambda b: b["mape"])["model"]
    assert body["model"] in body["chosen_by"]
    for year in body["forecast"]:
        assert year["lower"] <= year["median"] <= year["upper"]


def test_a_bad_horizon_is_a_problem_naming_the_parameter(client):
    response = client.get("/api/v1/trade/forecast", params={"horizon": 0})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "horizon" in response.text
