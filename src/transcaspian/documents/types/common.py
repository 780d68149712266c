"""Building blocks shared by the document types: parties, places, goods, equipment, money.

JSON names are camelCase (the field name in Python is snake_case; pydantic's alias is what a
credential carries). Units are in the names (``grossWeightKg``, ``volumeCubicMetres``);
decimal quantities and amounts travel as strings (``"1250.50"``) so no float rounding creeps
into a signed document. Validation errors name the field.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

from transcaspian.domain.errors import InvalidValueError
from transcaspian.domain.values import UnLocode

_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def _clean_text(value: str) -> str:
    # Control characters (other than line feed) canonicalize differently across JSON-LD
    # libraries, and no paper form has them.
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters (only line breaks)")
    return value


def _un_locode(value: str) -> str:
    try:
        return UnLocode.parse(value).code
    except InvalidValueError as error:
        raise ValueError(
            f"{value!r} is not a UN/LOCODE (2-letter country + 3-character place)"
        ) from error


def _hs_code(value: str) -> str:
    digits = value.replace(".", "").replace(" ", "")
    if not re.fullmatch(r"\d{6,12}", digits):
        raise ValueError(f"{value!r} is not an HS code (6 to 12 digits)")
    return digits


def _container_number(value: str) -> str:
    from stdnum import iso6346
    from stdnum.exceptions import ValidationError

    try:
        return str(iso6346.validate(value))
    except ValidationError as error:
        raise ValueError(f"{value!r} is not an ISO 6346 container number ({error})") from error


Text = Annotated[str, Field(min_length=1, max_length=512), AfterValidator(_clean_text)]
LongText = Annotated[str, Field(min_length=1, max_length=8000), AfterValidator(_clean_text)]
Code = Annotated[str, Field(min_length=1, max_length=35, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ./_-]*$")]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217")]
UnLocodeText = Annotated[
    str, Field(description="UN/LOCODE, e.g. KZALA", examples=["KZALA"]), AfterValidator(_un_locode)
]
HsCode = Annotated[
    str, Field(description="Harmonized System code, 6 to 12 digits"), AfterValidator(_hs_code)
]
ContainerNumber = Annotated[
    str,
    Field(description="ISO 6346 container number, e.g. CSQU3054383"),
    AfterValidator(_container_number),
]
Quantity = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=6)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=4)]
Uri = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", max_length=2048)]


class DocumentModel(BaseModel):
    """Base of every model: camelCase JSON names, unknown fields refused, immutable."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        ser_json_timedelta="iso8601",
    )


class Address(DocumentModel):
    street: Text | None = None
    city: Text
    postal_code: Code | None = None
    country_code: CountryCode


_TAX_ID_CHECKS: dict[str, str] = {
    "AZ": "stdnum.az.voen",
    "TR": "stdnum.tr.vkn",
    "RU": "stdnum.ru.inn",
    "CN": "stdnum.cn.uscc",
    "UA": "stdnum.ua.edrpou",
}
_TAX_ID_PATTERNS: dict[str, str] = {"KZ": r"\d{12}", "GE": r"\d{9}", "UZ": r"\d{9}"}


class Party(DocumentModel):
    """An organisation named on a document.

    ``party_id`` is its DID or another URI when it has one; ``tax_reference`` is checked
    against the rules of the address's country where we know them (AZ VÖEN, TR VKN, RU INN,
    CN USCC, UA EDRPOU, EU VAT numbers with the country prefix, KZ BIN 12 digits, GE and UZ
    9 digits).
    """

    name: Text
    party_id: Uri | None = None
    address: Address
    tax_reference: Code | None = None

    @model_validator(mode="after")
    def _tax_reference_is_valid(self) -> Party:
        if self.tax_reference is not None:
            _check_tax_reference(self.tax_reference, self.address.country_code)
        return self


def _check_tax_reference(number: str, country: str) -> None:
    import importlib

    from stdnum.exceptions import ValidationError

    module_name = _TAX_ID_CHECKS.get(country)
    try:
        if module_name is not None:
            importlib.import_module(module_name).validate(number)
            return
        pattern = _TAX_ID_PATTERNS.get(country)
        if pattern is not None:
            if not re.fullmatch(pattern, number):
                raise ValueError(f"taxReference: {number!r} is not a valid {country} tax id")
            return
        from stdnum import vatin

        if number[:2].isalpha():
            vatin.validate(number)
    except ValidationError as error:
        raise ValueError(
            f"taxReference: {number!r} is not a valid {country} tax id ({error})"
        ) from error


class Location(DocumentModel):
    """A place by UN/LOCODE, with its name as written on the document."""

    un_locode: UnLocodeText
    location_name: Text | None = None


class Seal(DocumentModel):
    """A seal on a container, wagon or vehicle; source after DCSA (CAR carrier, SHI shipper,
    CUS customs, VET veterinary, PHY phytosanitary)."""

    seal_number: Code
    seal_source: Literal["CAR", "SHI", "CUS", "VET", "PHY"] | None = None


class Equipment(DocumentModel):
    """A container as DCSA's ``utilizedTransportEquipment``."""

    equipment_reference: ContainerNumber
    iso_equipment_code: Annotated[str, Field(pattern=r"^[0-9A-Z]{4}$")] | None = Field(
        default=None, description="ISO 6346 size and type code, e.g. 45G1"
    )
    is_shipper_owned: bool = False
    cargo_gross_weight_kg: Quantity | None = None
    seals: list[Seal] = Field(default_factory=list)


class GoodsItem(DocumentModel):
    """A line of goods: what, how packed, how heavy."""

    description_of_goods: LongText
    hs_codes: list[HsCode] = Field(min_length=1)
    number_of_packages: int = Field(ge=0)
    package_type_code: Annotated[str, Field(pattern=r"^[0-9A-Z]{2}$")] = Field(
        description="UN/ECE Recommendation 21 package type, e.g. CT carton, PK package"
    )
    gross_weight_kg: Quantity
    net_weight_kg: Quantity | None = None
    volume_cubic_metres: Quantity | None = None
    marks_and_numbers: Text | None = None
    equipment_references: list[ContainerNumber] = Field(default_factory=list)

    @model_validator(mode="after")
    def _net_not_above_gross(self) -> GoodsItem:
        if self.net_weight_kg is not None and self.net_weight_kg > self.gross_weight_kg:
            raise ValueError(
                f"netWeightKg: {self.net_weight_kg} is above grossWeightKg {self.gross_weight_kg}"
            )
        return self


class MonetaryAmount(DocumentModel):
    amount: Amount
    currency_code: CurrencyCode


class DocumentReference(DocumentModel):
    """Another document this one refers to (its number and kind, and its credential id)."""

    document_type_code: Code
    document_number: Code
    credential_id: Uri | None = None


IssueDate = date
