"""The trade service: reading the sourced series, the target arithmetic, forecast and backtest."""

from dataclasses import replace
from pathlib import Path

import pytest
from tests.unit.trade.conftest import row

from transcaspian.data.loader import read_dataset
from transcaspian.domain.errors import DatasetError, InvalidValueError, NotFoundError
from transcaspian.domain.trade import PeriodKind, Reporter, TradeFlow
from transcaspian.services.analytics import (
    MODELS,
    backtest,
    flow_groups,
    forecast_trade,
    read_trade_book,
    summarize_trade,
)

BUNDLED = Path(__file__).parents[3] / "src" / "transcaspian" / "data" / "corridor"


def test_the_summary_finds_the_growth_and_when_the_trend_reaches_the_target(growing_network):
    summary = summarize_trade(read_trade_book(growing_network), target_usd_m=1000, horizon=3)
    assert summary.points == 5
    assert summary.cagr == pytest.approx(0.5)
    assert summary.trend_reaches_target_in == 2026  # 506.25 * 1.5^2 = 1139 ≥ 1000 > 759
    assert [p.by_year for p in summary.target_paths] == [2025, 2026, 2027]
    assert summary.target_paths[-1].path[-1] == (2027, 1000)
    assert summary.latest_partial is not None
    assert summary.latest_partial.series_id == "p-2025-kz"  # the same reporter's, not AZ's
    assert [d.period.text for d in summary.disagreements] == ["2023"]


def test_a_missing_or_unknown_source_is_a_dataset_error(make_network):
    network = make_network(
        [row("a", "2023", 529.4, "yes", source="nowhere"), row("b", "2024", 1, source="")]
    )
    with pytest.raises(DatasetError) as caught:
        read_trade_book(network)
    problems = [str(p) for p in caught.value.problems]
    assert any("unknown source 'nowhere'" in p for p in problems)
    assert any("trade_kz_az.csv:2: source" in p for p in problems)


def test_a_dataset_without_the_trade_table_is_not_found(make_network):
    network = replace(make_network([]), extra_tables={})
    with pytest.raises(NotFoundError):
        read_trade_book(network)


def test_the_backtest_scores_held_out_years_and_a_perfect_model_scores_zero():
    history = list(zip(range(2020, 2025), [100, 150, 225, 337.5, 506.25], strict=True))
    drift = backtest(history, "drift", min_train=3)  # exactly +50 % a year: drift is exact
    assert [(e.origin, e.year) for e in drift.errors] == [(2022, 2023), (2023, 2024)]
    assert drift.mape == pytest.approx(0.0, abs=1e-12)
    assert drift.mase == pytest.approx(0.0, abs=1e-12)
    naive = backtest(history, "naive", min_train=3)
    # naive predicts last year's value: errors 1/3 of the actual each year
    assert naive.mape == pytest.approx(1 / 3)
    assert [e.forecast for e in naive.errors] == [225, 337.5]
    # MASE: |error| / mean |step| of the training years; 112.5/62.5 and 168.75/79.1667
    assert naive.mase == pytest.approx((112.5 / 62.5 + 168.75 / (237.5 / 3)) / 2)


def test_a_backtest_across_a_gap_forecasts_as_many_years_ahead():
    history = [(2020, 100.0), (2022, 400.0), (2023, 800.0)]  # doubling a year, 2021 missing
    drift = backtest(history, "drift", min_train=2)
    assert [(e.origin, e.year) for e in drift.errors] == [(2022, 2023)]
    assert drift.errors[0].forecast == pytest.approx(800.0)  # 400 x 2 (log growth over 2 years)
    theta = backtest(history, "theta", min_train=2)
    assert not theta.scored
    assert "2021" in theta.skipped
    assert theta.errors == ()


def test_a_backtest_needs_a_year_to_hold_out():
    three = [(2020, 1.0), (2021, 2.0), (2022, 3.0)]
    with pytest.raises(InvalidValueError, match="min_train"):
        backtest(three, "naive", min_train=3)
    with pytest.raises(InvalidValueError, match="model"):
        backtest([*three, (2023, 4.0)], "oracle")


def test_the_forecast_shown_is_the_backtest_winner(growing_network):
    # exact +50 % a year: drift has zero error and must be the model shown
    forecast = forecast_trade(read_trade_book(growing_network), horizon=3)
    scores = {b.model: b.mape for b in forecast.backtests if b.scored}
    assert forecast.primary.model == min(scores, key=scores.__getitem__) == "drift"
    assert forecast.primary.median[0] == pytest.approx(506.25 * 1.5)
    assert "drift" in forecast.chosen_by
    assert forecast.held_out == (2023, 2024)


def test_naive_is_shown_when_naive_wins(make_network):
    values = [100, 110, 100, 200, 210, 200]  # a level shift: the last value beats any trend
    rows = [row(f"y{y}", str(y), v, "yes") for y, v in zip(range(2020, 2026), values, strict=True)]
    forecast = forecast_trade(read_trade_book(make_network(rows)), horizon=2)
    scored = [b for b in forecast.backtests if b.scored]
    assert {b.model for b in scored} == {"naive", "drift", "theta"}
    best = min(scored, key=lambda b: b.mape)
    assert best.model == "naive"
    assert forecast.primary.model == "naive"
    assert forecast.primary.median == (200, 200)
    assert "theta" not in forecast.primary.model


def test_the_forecast_is_reproducible_and_reports_every_model(growing_network):
    book = read_trade_book(growing_network)
    first = forecast_trade(book, horizon=4)
    second = forecast_trade(book, horizon=4)
    assert first == second
    assert first.primary.years == (2025, 2026, 2027, 2028)
    assert {b.model for b in first.backtests} == set(MODELS)
    for low, mid, high in zip(
        first.primary.lower, first.primary.median, first.primary.upper, strict=True
    ):
        assert low is not None and high is not None
        assert low <= mid <= high
    assert first.points == 5


def test_one_reporter_is_forecast_and_the_mirror_series_stays_apart(make_network):
    rows = [row(f"kz{y}", str(y), 100 * 1.2 ** (y - 2020), "yes") for y in range(2020, 2024)]
    rows += [row(f"az{y}", str(y), 50.0 + y - 2020, "yes", reporter="AZ") for y in (2021, 2024)]
    book = read_trade_book(make_network(rows))
    forecast = forecast_trade(book, horizon=2)
    assert forecast.reporter is Reporter.KZ
    assert [y for y, _ in forecast.history] == [2020, 2021, 2022, 2023]
    assert forecast.primary.years == (2024, 2025)  # no AZ 2024 value joined in
    with pytest.raises(InvalidValueError, match="reporter"):
        forecast_trade(book, reporter=Reporter.AZ)  # 2 values: nothing to hold out


def test_statsmodels_warnings_on_tiny_series_are_reported_not_raised(growing_network):
    # three training years are too few for statsmodels' start values: it warns, we report
    forecast = forecast_trade(read_trade_book(growing_network), horizon=2)
    assert any("Warning" in w for w in forecast.warnings)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"horizon": 0}, "horizon"), ({"target_usd_m": 0}, "target"), ({"level": 1.0}, "level")],
)
def test_bad_forecast_parameters_are_rejected(growing_network, kwargs, field):
    with pytest.raises(InvalidValueError, match=field):
        forecast_trade(read_trade_book(growing_network), **kwargs)


def test_every_series_value_in_the_bundled_dataset_has_a_known_source():
    network = read_dataset(BUNDLED)
    book = read_trade_book(network)  # raises DatasetError on an unknown or missing source
    assert book.observations
    for observation in book.observations:
        assert observation.sources
        for source_id in observation.sources:
            assert source_id in network.sources
    for item in book.goods:
        for source_id in item.sources:
            assert source_id in network.sources


def test_the_bundled_forecast_is_kazakhstan_s_series_and_naive_wins_it():
    book = read_trade_book(read_dataset(BUNDLED))
    forecast = forecast_trade(book)
    assert forecast.reporter is Reporter.KZ
    assert [y for y, _ in forecast.history] == [2020, 2022, 2023]  # 2021: no Kazakh value
    scored = [b for b in forecast.backtests if b.scored]
    assert forecast.primary.model == min(scored, key=lambda b: b.mape).model == "naive"
    theta = next(b for b in forecast.backtests if b.model == "theta")
    assert not theta.scored and "2021" in theta.skipped
    assert all(o.reporter is Reporter.KZ for o in book.annual(Reporter.KZ))


SEED = "trade-seed-2025-10-dayaz-mambetali"


@pytest.mark.parametrize(
    ("period", "flow", "value", "reporter"),
    [
        ("2025-H1", TradeFlow.TURNOVER, 331.7, Reporter.KZ),
        ("2025-H1", TradeFlow.KZ_EXPORTS_TO_AZ, 281.6, Reporter.KZ),
        ("2025-H1", TradeFlow.KZ_IMPORTS_FROM_AZ, 50, Reporter.KZ),
        ("2025-01..07", TradeFlow.KZ_EXPORTS_TO_AZ, 448, Reporter.AZ),
        ("2020", TradeFlow.TURNOVER, 109, Reporter.KZ),
        ("2023", TradeFlow.TURNOVER, 529, Reporter.KZ),
    ],
)
def test_each_figure_of_the_seed_article_is_a_row_citing_it(period, flow, value, reporter):
    book = read_trade_book(read_dataset(BUNDLED))
    rows = [
        o
        for o in book.observations
        if o.period.text == period and o.flow is flow and o.value_usd_m == value
    ]
    assert any(SEED in o.sources and o.reporter is reporter for o in rows), rows
    assert SEED in book.sources
    assert SEED in book.target_sources  # the 1 bn target


def test_where_official_statistics_differ_from_the_article_both_are_rows():
    book = read_trade_book(read_dataset(BUNDLED))
    h1 = [o for o in book.observations if o.period.text == "2025-H1" and o.flow.value == "turnover"]
    assert {(o.value_usd_m, o.reporter) for o in h1} >= {(331.7, Reporter.KZ), (501, Reporter.AZ)}


def test_an_export_import_group_holds_one_period_of_one_reporter():
    groups = flow_groups(read_trade_book(read_dataset(BUNDLED)))
    assert groups
    keys = [(g.period.text, g.reporter) for g in groups]
    assert len(keys) == len(set(keys))
    for g in groups:
        for o in (g.exports, g.imports):
            if o is not None:
                assert o.period == g.period and o.reporter is g.reporter
                assert o.period.kind is not PeriodKind.UNSTATED
    assert [g.period.sort_key for g in groups] == sorted(g.period.sort_key for g in groups)
