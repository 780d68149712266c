"""Documents rendered for people: HTML and PDF (WeasyPrint, DejaVu fonts) in English or
Russian, with a QR code leading to the verification page.

The subject is shown generically (every field of every type, nested tables for parties and
goods), so each document type renders without a template of its own; labels come from the JSON
names, translated where a translation is known. The QR code has a 4-module quiet zone and
nothing overlaps it, so it scans from a 200 dpi raster.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape

from transcaspian.domain.documents.lifecycle import TransportDocument

TEMPLATES = Path(__file__).parent / "templates" / "documents"
LANGUAGES = ("en", "ru")

_UI = {
    "en": {
        "title": "Electronic document",
        "status": "Status",
        "issuer": "Issuer",
        "holder": "Holder of title",
        "version": "Version",
        "credential": "Credential",
        "digest": "Digest (SHA-256)",
        "issued": "Issued",
        "verify": "Scan to verify, or open",
        "endorsements": "Endorsement chain",
        "page": "Page",
        "of": "of",
        "statuses": {
            "issued": "issued",
            "suspended": "suspended",
            "revoked": "revoked",
            "superseded": "superseded",
            "surrendered": "surrendered",
        },
    },
    "ru": {
        "title": "Электронный документ",
        "status": "Статус",
        "issuer": "Выдан",
        "holder": "Держатель",
        "version": "Версия",
        "credential": "Идентификатор",
        "digest": "Дайджест (SHA-256)",
        "issued": "Дата выдачи",
        "verify": "Отсканируйте для проверки или откройте",
        "endorsements": "Цепочка передаточных надписей",
        "page": "Стр.",
        "of": "из",
        "statuses": {
            "issued": "действителен",
            "suspended": "приостановлен",
            "revoked": "отозван",
            "superseded": "заменён новой версией",
            "surrendered": "возвращён перевозчику",
        },
    },
}

_TYPE_TITLES_RU = {
    "cim-smgs": "Накладная ЦИМ/СМГС",
    "cmr": "Международная товарно-транспортная накладная CMR",
    "bill-of-lading": "Оборотный коносамент",
    "sea-waybill": "Морская накладная",
    "commercial-invoice": "Коммерческий счёт-фактура",
    "packing-list": "Упаковочный лист",
    "certificate-of-origin": "Сертификат происхождения",
    "transit-declaration": "Транзитная декларация (МДП / eTIR)",
}

_FIELDS_RU = {
    "consignor": "Отправитель",
    "consignee": "Получатель",
    "shipper": "Грузоотправитель",
    "carrier": "Перевозчик",
    "name": "Наименование",
    "address": "Адрес",
    "street": "Улица",
    "city": "Город",
    "postalCode": "Индекс",
    "countryCode": "Страна",
    "taxReference": "ИНН / налоговый номер",
    "goodsItems": "Грузы",
    "descriptionOfGoods": "Наименование груза",
    "hsCodes": "Коды ТН ВЭД",
    "numberOfPackages": "Количество мест",
    "packageTypeCode": "Род упаковки",
    "grossWeightKg": "Масса брутто, кг",
    "netWeightKg": "Масса нетто, кг",
    "marksAndNumbers": "Знаки и номера",
    "equipment": "Контейнеры",
    "equipmentReference": "Номер контейнера",
    "seals": "Пломбы",
    "sealNumber": "Номер пломбы",
    "unLocode": "Код UN/LOCODE",
    "stationName": "Станция",
    "stationCode": "Код станции",
    "portOfLoading": "Порт погрузки",
    "portOfDischarge": "Порт выгрузки",
    "vesselName": "Судно",
    "voyageNumber": "Рейс",
    "isToOrder": "Ордерный",
    "invoiceNumber": "Номер счёта",
    "currency": "Валюта",
    "totalAmount": "Итого",
}


def render_html(document: TransportDocument, lang: str, verify_url: str) -> str:
    """The document's current version as a standalone HTML page (``lang`` en or ru)."""
    language = lang if lang in LANGUAGES else "en"
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), trim_blocks=True
    )
    version = document.current
    credential = version.credential
    subject = {
        k: v for k, v in (credential.get("credentialSubject") or {}).items() if k not in {"type"}
    }
    from transcaspian.services.credentials_gateway import document_title

    title = (
        _TYPE_TITLES_RU.get(document.document_type, document.document_type)
        if language == "ru"
        else document_title(document.document_type)
    )
    qr = segno.make(verify_url, error="m")
    return env.get_template("render.html").render(
        ui=_UI[language],
        lang=language,
        title=title,
        document=document,
        version=version,
        status=document.version_status(version).value,
        credential=credential,
        rows=_rows(subject, language),
        qr_svg=qr.svg_data_uri(scale=4, border=4, dark="#000", light="#fff"),
        verify_url=verify_url,
    )


def render_pdf(document: TransportDocument, lang: str, verify_url: str) -> bytes:
    """The same page as a PDF (A4)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_html(document, lang, verify_url)).write_pdf()
    return pdf


def _rows(value: Any, lang: str, depth: int = 0) -> list[dict[str, Any]]:
    """Label/value rows; nested objects and lists become nested rows."""
    rows: list[dict[str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            label = _label(key, lang)
            if isinstance(item, dict | list) and item and not _is_scalar_list(item):
                rows.append({"label": label, "value": None, "depth": depth})
                rows.extend(_rows(item, lang, depth + 1))
            else:
                rows.append({"label": label, "value": _scalar(item), "depth": depth})
    elif isinstance(value, list):
        for position, item in enumerate(value, start=1):
            rows.append({"label": f"#{position}", "value": None, "depth": depth})
            rows.extend(_rows(item, lang, depth + 1))
    return rows


def _is_scalar_list(value: Any) -> bool:
    return isinstance(value, list) and all(not isinstance(v, dict | list) for v in value)


def _scalar(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_scalar(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def _label(key: str, lang: str) -> str:
    if lang == "ru" and key in _FIELDS_RU:
        return _FIELDS_RU[key]
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", key).lower()
    return words[:1].upper() + words[1:]
