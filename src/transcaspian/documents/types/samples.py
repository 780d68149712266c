"""A realistic sample subject for every document type (JSON form, as a credential carries it).

One consignment moves Almaty → Aktau by rail (CIM/SMGS), crosses the Caspian to Alat on a
ferry (bill of lading), and goes on to Poti; invoice, packing list, certificate of origin and
a TIR transit declaration belong to the same shipment. Tests, the benchmark and the issue
form use these; each one validates against its model.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["SAMPLES", "sample_subject"]

_EXPORTER = {
    "name": "Almaty Grain Export LLP",
    "partyId": "did:web:transcaspian.example:org:almaty-grain",
    "address": {
        "street": "Dostyk Ave 180",
        "city": "Almaty",
        "postalCode": "050051",
        "countryCode": "KZ",
    },
    "taxReference": "180940012345",
}
_IMPORTER = {
    "name": "Poti Agro Trading LLC",
    "partyId": "did:web:transcaspian.example:org:poti-agro",
    "address": {"street": "Rustaveli St 12", "city": "Poti", "countryCode": "GE"},
    "taxReference": "404512345",
}
_KTZ = {
    "name": "JSC NC Kazakhstan Temir Zholy",
    "partyId": "did:web:transcaspian.example:org:ktz",
    "address": {"street": "Konayev St 6", "city": "Astana", "countryCode": "KZ"},
}
_ADY = {
    "name": "Azerbaijan Railways CJSC",
    "address": {"street": "D. Aliyeva 230", "city": "Baku", "countryCode": "AZ"},
    "taxReference": "1400057421",
}
_FERRY = {
    "name": "ASCO Caspian Ferry",
    "partyId": "did:web:transcaspian.example:org:asco",
    "address": {"street": "Mikayil Useynov 2", "city": "Baku", "countryCode": "AZ"},
}
_GOODS = [
    {
        "descriptionOfGoods": "Wheat flour, first grade, in 50 kg bags",
        "hsCodes": ["110100"],
        "numberOfPackages": 1040,
        "packageTypeCode": "BG",
        "grossWeightKg": "52520.000",
        "netWeightKg": "52000.000",
        "volumeCubicMetres": "66.000",
        "marksAndNumbers": "AGE/2026/0417 1-1040",
        "equipmentReferences": ["TCLU1234568", "KTZU4001001"],
    },
    {
        "descriptionOfGoods": "Sunflower oil, refined, in 5 l PET bottles",
        "hsCodes": ["151219"],
        "numberOfPackages": 1200,
        "packageTypeCode": "CT",
        "grossWeightKg": "13800.000",
        "netWeightKg": "13200.000",
        "equipmentReferences": ["ADYU2003000"],
    },
]
_CONTAINERS = [
    {
        "equipmentReference": "TCLU1234568",
        "isoEquipmentCode": "45G1",
        "cargoGrossWeightKg": "26260.000",
        "seals": [{"sealNumber": "KZ0417001", "sealSource": "SHI"}],
    },
    {
        "equipmentReference": "KTZU4001001",
        "isoEquipmentCode": "45G1",
        "cargoGrossWeightKg": "26260.000",
        "seals": [{"sealNumber": "KZ0417002", "sealSource": "SHI"}],
    },
    {
        "equipmentReference": "ADYU2003000",
        "isoEquipmentCode": "22G1",
        "isShipperOwned": True,
        "cargoGrossWeightKg": "13800.000",
        "seals": [
            {"sealNumber": "KZ0417003", "sealSource": "SHI"},
            {"sealNumber": "KZC55120", "sealSource": "CUS"},
        ],
    },
]
_ALMATY = {"stationName": "Almaty-1", "stationCode": "700009", "unLocode": "KZALA"}
_AKTAU = {"stationName": "Aktau-Port", "stationCode": "661406", "unLocode": "KZAAU"}

SAMPLES: dict[str, dict[str, Any]] = {
    "cim-smgs": {
        "consignmentNoteNumber": "KZ-SMGS-2026-004170",
        "legalRegime": "CIM/SMGS",
        "consignor": _EXPORTER,
        "consignee": _IMPORTER,
        "departureStation": _ALMATY,
        "destinationStation": _AKTAU,
        "borderStations": [],
        "carriers": [{"carrier": _KTZ, "fromStation": _ALMATY, "toStation": _AKTAU}],
        "wagons": [{"wagonNumber": "94871234", "loadLimitTonnes": 70}],
        "utilizedTransportEquipments": _CONTAINERS,
        "goodsItems": _GOODS,
        "declaredValue": {"amount": "41250.00", "currencyCode": "USD"},
        "chargesPaidBy": "CONSIGNOR",
        "consignorDeclarations": "Goods loaded and sealed by the consignor.",
        "attachedDocuments": [
            {"documentTypeCode": "INV", "documentNumber": "AGE-INV-2026-0417"},
            {"documentTypeCode": "COO", "documentNumber": "KZ-CT1-2026-00881"},
        ],
        "acceptedOn": "2026-04-17",
    },
    "cmr": {
        "consignmentNoteNumber": "GE-CMR-2026-1187",
        "sender": _IMPORTER,
        "consignee": {
            "name": "Trabzon Gida Ticaret AS",
            "address": {"street": "Liman Cd 4", "city": "Trabzon", "countryCode": "TR"},
            "taxReference": "4540536920",
        },
        "carrier": {
            "name": "Kartli Trans LLC",
            "address": {"city": "Tbilisi", "countryCode": "GE"},
        },
        "placeOfTakingOver": {"unLocode": "GEPTI", "locationName": "Poti"},
        "takenOverOn": "2026-04-28",
        "placeOfDelivery": {"unLocode": "TRTZX", "locationName": "Trabzon"},
        "vehicle": {
            "registrationNumber": "AB-123-CD",
            "countryOfRegistration": "GE",
            "trailerRegistrationNumber": "TR-456-EF",
        },
        "goodsItems": [_GOODS[1]],
        "senderInstructions": "Keep above 5 °C.",
        "placeOfIssue": {"unLocode": "GEPTI"},
        "issuedOn": "2026-04-28",
    },
    "bill-of-lading": {
        "transportDocumentReference": "ASCO-KZAAU-AZALA-26-0417",
        "carrier": _FERRY,
        "carrierCode": "ASCO",
        "shipper": _EXPORTER,
        "notifyParties": [_IMPORTER],
        "isShippedOnBoardType": True,
        "shippedOnBoardDate": "2026-04-21",
        "vesselName": "Barda",
        "carrierExportVoyageNumber": "BRD2616W",
        "portOfLoading": {"unLocode": "KZAAU", "locationName": "Aktau"},
        "portOfDischarge": {"unLocode": "AZALA", "locationName": "Alat"},
        "placeOfDelivery": {"unLocode": "GEPTI", "locationName": "Poti"},
        "consignmentItems": [{**_GOODS[0], "carrierBookingReference": "ASCO-BK-88120"}],
        "utilizedTransportEquipments": _CONTAINERS[:2],
        "freightPaymentTermCode": "PRE",
        "termsAndConditions": "Carriage subject to the carrier's standard terms (Hague-Visby).",
        "issueDate": "2026-04-21",
        "placeOfIssue": {"unLocode": "KZAAU"},
        "transportDocumentTypeCode": "BOL",
        "isToOrder": True,
        "numberOfOriginalsWithCharges": 0,
        "numberOfOriginalsWithoutCharges": 1,
    },
    "sea-waybill": {
        "transportDocumentReference": "ASCO-KZAAU-AZALA-26-0418",
        "carrier": _FERRY,
        "shipper": _EXPORTER,
        "consignee": _IMPORTER,
        "isShippedOnBoardType": True,
        "shippedOnBoardDate": "2026-04-21",
        "vesselName": "Barda",
        "carrierExportVoyageNumber": "BRD2616W",
        "portOfLoading": {"unLocode": "KZAAU"},
        "portOfDischarge": {"unLocode": "AZALA"},
        "consignmentItems": [_GOODS[1]],
        "utilizedTransportEquipments": [_CONTAINERS[2]],
        "termsAndConditions": "Carriage subject to the carrier's standard terms.",
        "issueDate": "2026-04-21",
        "transportDocumentTypeCode": "SWB",
        "isToOrder": False,
    },
    "commercial-invoice": {
        "invoiceNumber": "AGE-INV-2026-0417",
        "invoiceDate": "2026-04-15",
        "seller": _EXPORTER,
        "buyer": _IMPORTER,
        "currencyCode": "USD",
        "incoterms": {"incotermsCode": "FCA", "incotermsPlace": "Almaty-1 station"},
        "invoiceLines": [
            {
                "lineNumber": 1,
                "descriptionOfGoods": "Wheat flour, first grade, 50 kg bags",
                "hsCode": "110100",
                "quantity": "52.000",
                "unitCode": "TNE",
                "unitPrice": "450.00",
                "lineAmount": "23400.00",
                "countryOfOrigin": "KZ",
            },
            {
                "lineNumber": 2,
                "descriptionOfGoods": "Sunflower oil, refined, 5 l bottles",
                "hsCode": "151219",
                "quantity": "2640",
                "unitCode": "LTR",
                "unitPrice": "1.25",
                "lineAmount": "3300.00",
                "countryOfOrigin": "KZ",
            },
        ],
        "totalAmount": "26700.00",
        "paymentTerms": "Documentary collection, 30 days after bill of lading date",
    },
    "packing-list": {
        "packingListNumber": "AGE-PL-2026-0417",
        "issueDate": "2026-04-16",
        "shipper": _EXPORTER,
        "consignee": _IMPORTER,
        "invoiceNumber": "AGE-INV-2026-0417",
        "packages": [
            {
                "marksAndNumbers": "AGE/2026/0417 1-520",
                "packageTypeCode": "BG",
                "numberOfPackages": 520,
                "descriptionOfGoods": "Wheat flour, 50 kg bags",
                "grossWeightKg": "26260.000",
                "netWeightKg": "26000.000",
                "equipmentReference": "TCLU1234568",
            },
            {
                "marksAndNumbers": "AGE/2026/0417 521-1040",
                "packageTypeCode": "BG",
                "numberOfPackages": 520,
                "descriptionOfGoods": "Wheat flour, 50 kg bags",
                "grossWeightKg": "26260.000",
                "netWeightKg": "26000.000",
                "equipmentReference": "KTZU4001001",
            },
        ],
        "totalNumberOfPackages": 1040,
        "totalGrossWeightKg": "52520.000",
    },
    "certificate-of-origin": {
        "certificateNumber": "KZ-CT1-2026-00881",
        "certificateType": "CT-1",
        "issueDate": "2026-04-16",
        "issuingAuthority": {
            "name": "Chamber of Commerce and Industry of Almaty",
            "address": {"city": "Almaty", "countryCode": "KZ"},
        },
        "exporter": _EXPORTER,
        "importer": _IMPORTER,
        "countryOfOrigin": "KZ",
        "countryOfDestination": "GE",
        "transportDetails": "Rail Almaty-Aktau, ferry Aktau-Alat, rail Alat-Poti",
        "goodsItems": [{**_GOODS[0], "originCriterion": "WO"}],
    },
    "transit-declaration": {
        "declarationReference": "ETIR-KZ-2026-000417",
        "guaranteeReference": "XG26000417",
        "tirHolder": {
            "holderId": "KAZ/012/345",
            "name": "Almaty Grain Export LLP",
            "address": _EXPORTER["address"],
        },
        "customsOfficeOfDeparture": {
            "officeReference": "KZ55120",
            "officeName": "Almaty customs post",
            "unLocode": "KZALA",
        },
        "customsOfficesOfTransit": [{"officeReference": "AZ10010", "unLocode": "AZALA"}],
        "customsOfficeOfDestination": {"officeReference": "GE30007", "unLocode": "GEPTI"},
        "countriesOfRoute": ["KZ", "AZ", "GE"],
        "vehicle": {
            "registrationNumber": "123ABC02",
            "countryOfRegistration": "KZ",
            "approvalCertificateNumber": "KZ-TIR-7781",
        },
        "seals": [{"sealNumber": "KZC55120", "sealSource": "CUS"}],
        "goodsItems": [_GOODS[1]],
        "declaredOn": "2026-04-16",
    },
}


def sample_subject(slug: str) -> dict[str, Any]:
    """A fresh copy of the sample subject of ``slug`` (KeyError for an unknown slug)."""
    return copy.deepcopy(SAMPLES[slug])
