"""Trade documents: commercial invoice, packing list, certificate of origin."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from transcaspian.documents.types.common import (
    Amount,
    Code,
    CountryCode,
    CurrencyCode,
    DocumentModel,
    DocumentReference,
    GoodsItem,
    HsCode,
    LongText,
    Party,
    Quantity,
    Text,
)

Incoterm = Literal["EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF"]


class Incoterms(DocumentModel):
    incoterms_code: Incoterm
    incoterms_place: Text


class InvoiceLine(DocumentModel):
    line_number: int = Field(ge=1)
    description_of_goods: LongText
    hs_code: HsCode
    quantity: Quantity
    unit_code: Annotated[str, Field(pattern=r"^[0-9A-Z]{2,3}$")] = Field(
        description="UN/ECE Recommendation 20 unit, e.g. KGM, TNE, C62 (piece)"
    )
    unit_price: Amount
    line_amount: Amount
    country_of_origin: CountryCode

    @model_validator(mode="after")
    def _amount_is_quantity_times_price(self) -> InvoiceLine:
        expected = (self.quantity * self.unit_price).quantize(Decimal("0.01"))
        if abs(expected - self.line_amount) > Decimal("0.01"):
            raise ValueError(
                f"lineAmount: {self.line_amount} is not quantity x unitPrice ({expected})"
            )
        return self


class CommercialInvoice(DocumentModel):
    invoice_number: Code
    invoice_date: date
    seller: Party
    buyer: Party
    consignee: Party | None = None
    currency_code: CurrencyCode
    incoterms: Incoterms
    invoice_lines: list[InvoiceLine] = Field(min_length=1)
    total_amount: Amount
    payment_terms: Text | None = None
    related_documents: list[DocumentReference] = Field(default_factory=list)

    @model_validator(mode="after")
    def _total_is_sum_of_lines(self) -> CommercialInvoice:
        numbers = [line.line_number for line in self.invoice_lines]
        if len(set(numbers)) != len(numbers):
            raise ValueError("invoiceLines: line numbers repeat")
        total = sum((line.line_amount for line in self.invoice_lines), Decimal(0))
        if total != self.total_amount:
            raise ValueError(f"totalAmount: {self.total_amount} is not the sum of lines ({total})")
        return self


class Package(DocumentModel):
    marks_and_numbers: Text
    package_type_code: Annotated[str, Field(pattern=r"^[0-9A-Z]{2}$")]
    number_of_packages: int = Field(ge=1)
    description_of_goods: LongText
    gross_weight_kg: Quantity
    net_weight_kg: Quantity | None = None
    volume_cubic_metres: Quantity | None = None
    equipment_reference: Code | None = None


class PackingList(DocumentModel):
    packing_list_number: Code
    issue_date: date
    shipper: Party
    consignee: Party
    invoice_number: Code | None = None
    packages: list[Package] = Field(min_length=1)
    total_number_of_packages: int = Field(ge=1)
    total_gross_weight_kg: Quantity

    @model_validator(mode="after")
    def _totals_add_up(self) -> PackingList:
        count = sum(package.number_of_packages for package in self.packages)
        if count != self.total_number_of_packages:
            raise ValueError(
                f"totalNumberOfPackages: {self.total_number_of_packages} is not the sum "
                f"of the packages ({count})"
            )
        weight = sum((package.gross_weight_kg for package in self.packages), Decimal(0))
        if weight != self.total_gross_weight_kg:
            raise ValueError(
                f"totalGrossWeightKg: {self.total_gross_weight_kg} is not the sum "
                f"of the packages ({weight})"
            )
        return self


class OriginGoodsItem(GoodsItem):
    origin_criterion: Code | None = Field(
        default=None, description="rule the goods meet, e.g. 'WO' wholly obtained"
    )
    invoice_number: Code | None = None


class CertificateOfOrigin(DocumentModel):
    certificate_number: Code
    certificate_type: Literal["NON_PREFERENTIAL", "CT-1", "EUR.1", "FORM_A"] = "NON_PREFERENTIAL"
    issue_date: date
    issuing_authority: Party
    exporter: Party
    importer: Party
    country_of_origin: CountryCode
    country_of_destination: CountryCode
    transport_details: Text | None = None
    goods_items: list[OriginGoodsItem] = Field(min_length=1)
    remarks: Text | None = None
