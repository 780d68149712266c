"""CIM/SMGS common consignment note for rail (CIT/OSJD), one model for both regimes."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from transcaspian.documents.types.common import (
    Code,
    DocumentModel,
    DocumentReference,
    Equipment,
    GoodsItem,
    MonetaryAmount,
    Party,
    Text,
    UnLocodeText,
)


class RailStation(DocumentModel):
    """A station: its name, its 6-digit OSJD/ESR or UIC station code, its UN/LOCODE."""

    station_name: Text
    station_code: Annotated[str, Field(pattern=r"^\d{4,8}$")] | None = None
    un_locode: UnLocodeText | None = None


class Wagon(DocumentModel):
    """A rail wagon by its number (8 digits in the 1520 mm network, 12 in UIC)."""

    wagon_number: Annotated[str, Field(pattern=r"^(\d{8}|\d{12})$")]
    load_limit_tonnes: Annotated[int, Field(gt=0, le=200)] | None = None


class CarrierSection(DocumentModel):
    """A carrier and the part of the route it carries (successive carriers on SMGS)."""

    carrier: Party
    from_station: RailStation
    to_station: RailStation


class CimSmgsConsignmentNote(DocumentModel):
    """Rail consignment note under CIM, SMGS or the joint CIM/SMGS form."""

    consignment_note_number: Code
    legal_regime: Literal["CIM", "SMGS", "CIM/SMGS"] = "CIM/SMGS"
    consignor: Party
    consignee: Party
    departure_station: RailStation
    destination_station: RailStation
    border_stations: list[RailStation] = Field(default_factory=list)
    carriers: list[CarrierSection] = Field(min_length=1)
    wagons: list[Wagon] = Field(default_factory=list)
    utilized_transport_equipments: list[Equipment] = Field(default_factory=list)
    goods_items: list[GoodsItem] = Field(min_length=1)
    declared_value: MonetaryAmount | None = None
    charges_paid_by: Literal["CONSIGNOR", "CONSIGNEE"] = "CONSIGNOR"
    consignor_declarations: Text | None = None
    attached_documents: list[DocumentReference] = Field(default_factory=list)
    accepted_on: date = Field(description="date the goods were accepted for carriage")

    @model_validator(mode="after")
    def _something_carries_the_goods(self) -> CimSmgsConsignmentNote:
        if not self.wagons and not self.utilized_transport_equipments:
            raise ValueError("wagons: name at least one wagon or container")
        return self
