"""Bill of lading and sea waybill, field names after the DCSA eBL 3.0 Transport Document."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from transcaspian.documents.types.common import (
    Code,
    DocumentModel,
    Equipment,
    GoodsItem,
    Location,
    LongText,
    Party,
    Text,
)


class ConsignmentItem(GoodsItem):
    """DCSA ``consignmentItem``: goods plus the carrier's booking reference."""

    carrier_booking_reference: Code | None = None


class TransportDocumentBase(DocumentModel):
    transport_document_reference: Code
    transport_document_sub_reference: Code | None = Field(
        default=None, description="distinguishes amended versions (DCSA)"
    )
    carrier: Party
    carrier_code: Annotated[str, Field(pattern=r"^[A-Z0-9]{2,4}$")] | None = None
    carrier_code_list_provider: Literal["SMDG", "NMFTA"] | None = None
    shipper: Party
    consignee: Party | None = None
    notify_parties: list[Party] = Field(default_factory=list)
    is_shipped_on_board_type: bool = True
    shipped_on_board_date: date | None = None
    received_for_shipment_date: date | None = None
    vessel_name: Text
    carrier_export_voyage_number: Code
    place_of_receipt: Location | None = None
    port_of_loading: Location
    port_of_discharge: Location
    place_of_delivery: Location | None = None
    consignment_items: list[ConsignmentItem] = Field(min_length=1)
    utilized_transport_equipments: list[Equipment] = Field(default_factory=list)
    freight_payment_term_code: Literal["PRE", "COL"] = "PRE"
    invoice_payable_at: Location | None = None
    terms_and_conditions: LongText
    issue_date: date
    place_of_issue: Location | None = None

    @model_validator(mode="after")
    def _on_board_or_received(self) -> TransportDocumentBase:
        if self.is_shipped_on_board_type and self.shipped_on_board_date is None:
            raise ValueError("shippedOnBoardDate: required for a shipped-on-board document")
        if not self.is_shipped_on_board_type and self.received_for_shipment_date is None:
            raise ValueError(
                "receivedForShipmentDate: required for a received-for-shipment document"
            )
        return self


class BillOfLading(TransportDocumentBase):
    """Negotiable bill of lading (DCSA ``BOL``): a title document when ``isToOrder``."""

    transport_document_type_code: Literal["BOL"] = "BOL"
    is_to_order: bool = True
    number_of_originals_with_charges: int = Field(default=0, ge=0, le=3)
    number_of_originals_without_charges: int = Field(default=1, ge=0, le=3)

    @model_validator(mode="after")
    def _straight_bill_names_consignee(self) -> BillOfLading:
        if not self.is_to_order and self.consignee is None:
            raise ValueError("consignee: a straight (not to order) bill of lading names one")
        return self


class SeaWaybill(TransportDocumentBase):
    """Sea waybill (DCSA ``SWB``): a receipt and contract of carriage, never a title."""

    transport_document_type_code: Literal["SWB"] = "SWB"
    is_to_order: Literal[False] = False

    @model_validator(mode="after")
    def _names_consignee(self) -> SeaWaybill:
        if self.consignee is None:
            raise ValueError("consignee: a sea waybill names its consignee")
        return self
