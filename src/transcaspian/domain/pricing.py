"""Prices from published tariffs only: a tariff's amount times the cargo's units of its kind.

A tariff is per TEU, per FEU (40' boxes only), per tonne, per railcar or per truck; the cargo
says how many of each it needs. Where several tariffs cover the same leg, service or segment,
the cheapest that applies to the cargo is taken. Prices are summed in one currency (USD); a
tariff in another currency is not converted and so does not price the leg. Nothing is
estimated: a leg without a usable tariff is reported as having no published tariff.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from transcaspian.domain.emissions import Cargo
from transcaspian.domain.network import FreightUnit, Tariff

__all__ = ["PRICING_CURRENCY", "TariffPrice", "cheapest_price", "units_of"]

PRICING_CURRENCY = "USD"


@dataclass(frozen=True, slots=True)
class TariffPrice:
    """A tariff applied to the cargo: ``cost = tariff.amount * units``."""

    tariff: Tariff
    units: Decimal
    cost: Decimal
    cost_high: Decimal | None  # from the upper end of a published range


def units_of(cargo: Cargo, unit: FreightUnit) -> Decimal | None:
    """How many of ``unit`` the cargo needs, or None when the unit does not fit the cargo."""
    if unit is FreightUnit.TEU:
        return Decimal(cargo.teu)
    if unit is FreightUnit.FEU:
        # A per-FEU rate is for 40' boxes; it says nothing about the price of a 20' box.
        return Decimal(cargo.containers_40ft) if cargo.containers_20ft == 0 else None
    if unit is FreightUnit.TONNE:
        return Decimal(str(round(cargo.mass_t, 6)))
    if unit is FreightUnit.RAILCAR:
        return Decimal(cargo.railcars)
    return Decimal(cargo.trucks)


def cheapest_price(tariffs: Iterable[Tariff], cargo: Cargo) -> TariffPrice | None:
    """The cheapest tariff of the pricing currency that applies to the cargo, or None."""
    best: TariffPrice | None = None
    for tariff in sorted(tariffs, key=lambda t: t.tariff_id):
        if tariff.currency != PRICING_CURRENCY:
            continue
        units = units_of(cargo, tariff.unit)
        if units is None:
            continue
        cost = tariff.amount * units
        high = tariff.amount_high * units if tariff.amount_high is not None else None
        if best is None or cost < best.cost:
            best = TariffPrice(tariff, units, cost, high)
    return best
