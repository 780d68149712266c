"""Transit declaration: the TIR carnet / eTIR advance data (TIR Convention, Annex 11)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from transcaspian.documents.types.common import (
    Address,
    Code,
    CountryCode,
    DocumentModel,
    GoodsItem,
    Seal,
    Text,
    UnLocodeText,
)


class TirHolder(DocumentModel):
    """The TIR carnet holder: its identification number (e.g. ``KAZ/012/345``)."""

    holder_id: Annotated[str, Field(pattern=r"^[A-Z]{3}/\d{3}/\d{1,6}$")]
    name: Text
    address: Address


class CustomsOffice(DocumentModel):
    """A customs office by its reference number (country prefix + code) and place."""

    office_reference: Annotated[str, Field(pattern=r"^[A-Z]{2}[A-Z0-9]{4,10}$")]
    office_name: Text | None = None
    un_locode: UnLocodeText | None = None


class TirVehicle(DocumentModel):
    registration_number: Code
    country_of_registration: CountryCode
    approval_certificate_number: Code | None = Field(
        default=None, description="certificate of approval of the road vehicle for TIR"
    )


class TransitDeclaration(DocumentModel):
    """TIR transit: carnet or eTIR guarantee, holder, offices, route, vehicle, seals, goods."""

    declaration_reference: Code
    tir_carnet_number: Annotated[str, Field(pattern=r"^[A-Z]{0,2}\d{8}$")] | None = None
    guarantee_reference: Code | None = Field(
        default=None, description="eTIR guarantee reference number"
    )
    tir_holder: TirHolder
    customs_office_of_departure: CustomsOffice
    customs_offices_of_transit: list[CustomsOffice] = Field(default_factory=list)
    customs_office_of_destination: CustomsOffice
    countries_of_route: list[CountryCode] = Field(min_length=1)
    vehicle: TirVehicle
    seals: list[Seal] = Field(min_length=1)
    goods_items: list[GoodsItem] = Field(min_length=1)
    declared_on: date

    @model_validator(mode="after")
    def _carnet_or_guarantee(self) -> TransitDeclaration:
        if self.tir_carnet_number is None and self.guarantee_reference is None:
            raise ValueError(
                "tirCarnetNumber: give the TIR carnet number or the eTIR guaranteeReference"
            )
        return self
