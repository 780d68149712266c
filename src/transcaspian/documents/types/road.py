"""CMR consignment note for international road carriage (CMR Convention art. 6, e-CMR)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from transcaspian.documents.types.common import (
    Code,
    DocumentModel,
    DocumentReference,
    GoodsItem,
    Location,
    MonetaryAmount,
    Party,
    Text,
)


class RoadVehicle(DocumentModel):
    registration_number: Code
    country_of_registration: Code
    trailer_registration_number: Code | None = None


class CmrConsignmentNote(DocumentModel):
    """The particulars of CMR art. 6: sender, carrier(s), consignee, places and dates, goods,
    charges, instructions."""

    consignment_note_number: Code
    sender: Party
    consignee: Party
    carrier: Party
    successive_carriers: list[Party] = Field(default_factory=list)
    place_of_taking_over: Location
    taken_over_on: date
    place_of_delivery: Location
    vehicle: RoadVehicle
    goods_items: list[GoodsItem] = Field(min_length=1)
    charges: MonetaryAmount | None = None
    cash_on_delivery: MonetaryAmount | None = None
    sender_instructions: Text | None = None
    attached_documents: list[DocumentReference] = Field(default_factory=list)
    place_of_issue: Location
    issued_on: date
