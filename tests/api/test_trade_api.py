"""GET /api/v1/trade/series and /api/v1/trade/forecast on the stored bundled dataset."""


def test_the_series_gives_every_value_with_sources_defined_in_the_response(client):
    response = client.get("/api/v1/trade/series")
    assert response.status_code == 200
    body = response.json()
    assert body["points"] == len(body["annual"]) >= 4
    assert body["annual"][0]["year"] == 2020
    for observation in body["observations"]:
        assert observation["sources"]
        assert set(observation["sources"]) <= set(body["sources"])
    assert sum(o["used"] for o in body["observations"]) == body["points"]
    assert body["disagreements"]  # several years have more than one published total


def test_the_forecast_reports_its_backtest_errors(client):
    response = client.get("/api/v1/trade/forecast", params={"horizon": 3, "target": 1000})
    assert response.status_code == 200
    body = response.json()
    assert [y["year"] for y in body["forecast"]] == [body["history"][-1][0] + k for k in (1, 2, 3)]
    assert {b["model"] for b in body["backtests"]} == {"naive", "drift", "theta"}
    for b in body["backtests"]:
        assert b["held_out"] == len(b["errors"]) >= 1
        assert b["mape"] >= 0
    for year in body["forecast"]:
        assert year["lower"] <= year["median"] <= year["upper"]


def test_a_bad_horizon_is_a_problem_naming_the_parameter(client):
    response = client.get("/api/v1/trade/forecast", params={"horizon": 0})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "horizon" in response.text
