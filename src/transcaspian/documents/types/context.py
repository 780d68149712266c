"""Our JSON-LD context, generated from the document type models.

Every JSON name any model can produce becomes a term ``https://transcaspian.example/vocab#<name>``;
dates, date-times and decimals are typed (``xsd:date``, ``xsd:dateTime``, ``xsd:decimal``),
numbers and booleans keep JSON-LD's native types. ``name`` comes from the VC 2.0 context
(schema.org/name) and is not redefined. The bundled file
``transcaspian/vc/contexts/transcaspian-v1.jsonld`` is this function's output; a test keeps
them equal, and the file must never change once credentials are signed with it.
"""

from __future__ import annotations

import json
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from transcaspian.vc.contexts import TRANSCASPIAN_VOCAB

XSD = "http://www.w3.org/2001/XMLSchema#"
REUSED_TERMS = frozenset({"name", "id", "type"})
"""Terms the VC 2.0 context already defines (protected) and our models use as they are."""


def build_context() -> dict[str, Any]:
    """The ``@context`` document for https://transcaspian.example/contexts/v1.

    Raises ValueError if two models use one JSON name with different value types.
    """
    from transcaspian.documents.types import DOCUMENT_TYPES

    terms: dict[str, Any] = {}
    for entry in DOCUMENT_TYPES.values():
        for name in (entry.subject_type, entry.credential_type):
            terms[name] = TRANSCASPIAN_VOCAB + name
    properties: dict[str, str | None] = {}
    for entry in DOCUMENT_TYPES.values():
        _collect(entry.model, properties, set())
    for name in sorted(properties):
        if name in REUSED_TERMS:
            continue
        definition: dict[str, str] = {"@id": TRANSCASPIAN_VOCAB + name}
        if properties[name] is not None:
            definition["@type"] = str(properties[name])
        terms[name] = definition
    return {"@context": {"@version": 1.1, "@protected": True, **dict(sorted(terms.items()))}}


def context_json() -> str:
    """The context as the bundled file holds it (2-space indent, trailing newline)."""
    return json.dumps(build_context(), indent=2, ensure_ascii=False) + "\n"


def _collect(model: type[BaseModel], properties: dict[str, str | None], seen: set[type]) -> None:
    if model in seen:
        return
    seen.add(model)
    for name, field in model.model_fields.items():
        alias = field.serialization_alias or field.alias or name
        datatype, nested = _value_type(field.annotation)
        if alias in properties and properties[alias] != datatype:
            raise ValueError(
                f"{model.__name__}.{name}: JSON name {alias!r} is used with two value types "
                f"({properties[alias]} and {datatype})"
            )
        properties[alias] = datatype
        for inner in nested:
            _collect(inner, properties, seen)


def _value_type(annotation: Any) -> tuple[str | None, list[type[BaseModel]]]:
    """(datatype IRI or None, nested models) of a field annotation."""
    leaves = list(_leaves(annotation))
    models = [leaf for leaf in leaves if isinstance(leaf, type) and issubclass(leaf, BaseModel)]
    datatypes: set[str | None] = set()
    for leaf in leaves:
        if leaf is datetime:
            datatypes.add(XSD + "dateTime")
        elif leaf is date:
            datatypes.add(XSD + "date")
        elif leaf is Decimal:
            datatypes.add(XSD + "decimal")
        else:
            datatypes.add(None)
    if len(datatypes) > 1:
        raise ValueError(f"{annotation!r} mixes value types {datatypes}")
    return (datatypes.pop() if datatypes else None), models


def _leaves(annotation: Any) -> typing.Iterator[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _leaves(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType, list, tuple, set, frozenset):
        for argument in typing.get_args(annotation):
            if argument is not type(None) and argument is not Ellipsis:
                yield from _leaves(argument)
    elif origin is typing.Literal:
        yield str
    elif annotation is type(None):
        return
    else:
        yield annotation
