"""FastAPI dependencies: the platform the app was built with, and the stored network."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request

from transcaspian.domain.network import CorridorNetwork

if TYPE_CHECKING:  # only the type: importing bootstrap at run time would pull in the store
    from transcaspian.bootstrap import Platform

__all__ = ["NetworkDep", "get_network", "get_platform"]


def get_platform(request: Request) -> Platform:
    """The Platform passed to ``create_app``."""
    platform: Platform = request.app.state.platform
    return platform


def get_network(request: Request) -> CorridorNetwork:
    """The stored corridor network; NotFoundError (404 ``no-dataset``) when none is loaded."""
    return get_platform(request).network.get_network()


NetworkDep = Annotated[CorridorNetwork, Depends(get_network)]
