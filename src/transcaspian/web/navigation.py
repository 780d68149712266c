"""The UI's navigation: one list, in menu order. A new page joins with one line here.

An entry with ``built=False`` gets a placeholder page at its path until the feature that owns
it registers its own route and flips the flag.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NAVIGATION", "NavItem"]


@dataclass(frozen=True, slots=True)
class NavItem:
    """One entry of the main navigation."""

    label: str
    path: str
    description: str
    built: bool = False


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Map", "/", "The corridor network: locations, legs and their sourced figures", True),
    NavItem("Planner", "/planner", "Plan a multimodal route with cost, time and CO2e", True),
    NavItem("Documents", "/documents", "Issue and verify transport documents", True),
    NavItem("Simulation", "/simulation", "What-if simulation of corridor capacity", True),
    NavItem("Trade", "/trade", "Trade flows along the corridor", True),
)
