"""JSON-LD to RDF quads: a compiled fast path for credentials, PyLD for everything else.

:func:`to_quads` turns a compacted JSON-LD document into the quads of its RDF dataset, the
input of canonicalization (:mod:`transcaspian.vc.rdfc`). PyLD does this correctly but takes
milliseconds per credential; the fast path walks the JSON once and looks every term up in a
*compiled* context, and does it in tens of microseconds.

How the fast path stays exact:

* Context processing is PyLD's own (``_process_context``, ``_expand_iri``); we only cache its
  answers per active context and term. An active context is reached from the document's
  ``@context`` list (bundled URLs only) through type-scoped, property-scoped and reverted
  steps, each cached, so a credential shape seen once costs dictionary look-ups afterwards.
* The walk implements JSON-LD 1.1 expansion and RDF conversion for the parts credentials use:
  node objects (with or without ``id``), ``type``, scoped contexts (type-scoped ones do not
  propagate), string/number/boolean values with ``@id``, ``@vocab`` or datatype coercion,
  nested arrays. Anything else — value objects, ``@list``/``@graph``/language/index
  containers, reverse properties, ``@nest``, embedded ``@context``, blank node identifiers,
  ``@json`` — raises :class:`_UnsupportedError` internally and the whole document goes to PyLD.
* Tests compare the fast path's dataset with PyLD's for generated credentials of every
  document type, the W3C test vector and hand-made edge cases.

Terms a context does not define are dropped by JSON-LD (the data would silently go unsigned):
the fast path reports them in :attr:`Dataset.dropped` so the signer can refuse them, like
Digital Bazaar's "safe mode".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from transcaspian.vc.contexts import bundled_urls, pyld_document_loader
from transcaspian.vc.rdfc import Quad, escape_literal, literal, needs_no_escape

__all__ = ["Dataset", "pointer_token", "pyld_quads", "to_quads"]

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
_NO_ESCAPE = needs_no_escape
_ABSOLUTE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$")


@dataclass(slots=True)
class Dataset:
    """The quads of a JSON-LD document and what expansion threw away.

    ``dropped`` lists JSON pointers of properties whose term no context defines and of
    values that are not absolute IRIs where an IRI is required; JSON-LD drops them silently.
    ``fast`` tells whether the compiled fast path produced the quads (False: PyLD did).
    """

    quads: list[Quad]
    dropped: list[str] = field(default_factory=list)
    fast: bool = True


def to_quads(document: Mapping[str, Any]) -> Dataset:
    """The RDF dataset of a JSON-LD document whose contexts are all bundled.

    Uses the compiled fast path when the document stays within what it handles, PyLD
    otherwise. Raises InvalidValueError (UnknownContextError) for a context that is not
    bundled and pyld's JsonLdError for a document that is not valid JSON-LD.
    """
    try:
        dataset = _FastExpander(document).run()
    except _UnsupportedError:
        dataset = _safe_mode_dataset(document)
    _report_relative_iris(document, dataset)
    return dataset


# PyLD resolves a relative IRI (an undefined type, an id that is not a URL) against this base
# when the document has none; such an IRI means nothing outside this processor
_DEFAULT_BASE = "<http://example.org/base/"


def _report_relative_iris(document: Mapping[str, Any], dataset: Dataset) -> None:
    names = {
        term[len(_DEFAULT_BASE) : -1]
        for quad in dataset.quads
        for term in quad[:3]
        if term.startswith(_DEFAULT_BASE)
    }
    for name in sorted(names):
        pointer = _pointer_of(document, name)
        if pointer not in dataset.dropped:
            dataset.dropped.append(pointer)


def pointer_token(key: str) -> str:
    """A key as one reference token of a JSON pointer (RFC 6901: ``~`` → ``~0``, ``/`` → ``~1``)."""
    return key.replace("~", "~0").replace("/", "~1")


def _pointer_of(value: object, name: str, pointer: str = "") -> str:
    """The JSON pointer of the first key or string value ``name`` in ``value`` ("/name" if
    there is none)."""
    found = _find(value, name, pointer)
    return found if found is not None else "/" + pointer_token(name)


def _find(value: object, name: str, pointer: str) -> str | None:
    if isinstance(value, Mapping):
        if name in value:
            return f"{pointer}/{pointer_token(name)}"
        items: list[tuple[str, Any]] = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        items = [(str(i), v) for i, v in enumerate(value)]
    else:
        return None
    for key, child in items:
        if child == name:  # a type or an id given as this (relative) name
            return f"{pointer}/{pointer_token(key)}"
        found = _find(child, name, f"{pointer}/{pointer_token(key)}")
        if found is not None:
            return found
    return None


def pyld_quads(document: Mapping[str, Any]) -> list[Quad]:
    """The RDF dataset of a document as PyLD 3.3 produces it (the reference)."""
    from pyld import jsonld

    return _quads_of(jsonld.to_rdf(dict(document), _pyld_options()))


def _safe_mode_dataset(document: Mapping[str, Any]) -> Dataset:
    """PyLD's dataset, and what its expansion dropped (:mod:`transcaspian.vc.safe_mode`)."""
    from transcaspian.vc.safe_mode import SafeModeProcessor

    processor = SafeModeProcessor()
    quads = _quads_of(processor.to_rdf(dict(document), _pyld_options()))
    return Dataset(quads=quads, dropped=processor.dropped, fast=False)


def _quads_of(dataset: Mapping[str, Any]) -> list[Quad]:
    quads: list[Quad] = []
    for graph_name, triples in dataset.items():
        graph = "" if graph_name == "@default" else _pyld_term_name(graph_name)
        for triple in triples:
            quads.append(
                (
                    _pyld_term(triple["subject"]),
                    _pyld_term(triple["predicate"]),
                    _pyld_term(triple["object"]),
                    graph,
                )
            )
    return quads


class _UnsupportedError(Exception):
    """The document uses JSON-LD the fast path does not implement; PyLD takes over."""


# What a key of a node object means in one active context.
_DROP, _ID, _TYPE, _PROPERTY = range(4)


@dataclass(slots=True)
class _Term:
    kind: int
    predicate: str = ""  # "<iri>"
    coercion: str | None = None  # None, "@id", "@vocab" or a datatype IRI
    scoped: bool = False  # carries a property-scoped context
    plain: bool = False  # a string value is a plain xsd:string literal


class _Context:
    """One PyLD active context and everything we have asked of it so far."""

    __slots__ = (
        "active",
        "by_property",
        "by_types",
        "has_language",
        "has_previous",
        "plans",
        "reverted",
        "terms",
        "type_iris",
        "type_keys",
    )

    def __init__(self, active: dict[str, Any]) -> None:
        self.active = active
        self.has_language = "@language" in active or "@direction" in active
        self.has_previous = active.get("previousContext") is not None
        self.type_keys: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.plans: dict[
            tuple[str, ...], tuple[str | None, tuple[tuple[str, _Term], ...], tuple[str, ...]]
        ] = {}
        self.terms: dict[str, _Term] = {}
        self.type_iris: dict[str, str | None] = {}
        self.by_types: dict[tuple[str, ...], _Context] = {}
        self.by_property: dict[str, _Context] = {}
        self.reverted: _Context | None = None

    def term(self, key: str) -> _Term:
        found = self.terms.get(key)
        if found is None:
            found = self.terms[key] = self._compile_term(key)
        return found

    def _compile_term(self, key: str) -> _Term:
        processor = _processor()
        iri = processor._expand_iri(self.active, key, vocab=True)
        if iri == "@id":
            return _Term(_ID)
        if iri == "@type":
            return _Term(_TYPE)
        if iri == "@context":
            raise _UnsupportedError("embedded @context")
        if iri is None or not isinstance(iri, str):
            return _Term(_DROP)
        if iri.startswith("@"):
            raise _UnsupportedError(f"keyword {iri}")
        if not _ABSOLUTE_IRI.match(iri):
            return _Term(_DROP)
        if iri.startswith("_:"):
            raise _UnsupportedError("blank node predicate")
        definition = self.active["mappings"].get(key) or {}
        if definition.get("reverse") or "@nest" in definition or "@index" in definition:
            raise _UnsupportedError("reverse, nest or index term")
        if "@language" in definition or "@direction" in definition:
            raise _UnsupportedError("language-tagged term")
        containers = set(definition.get("@container", ())) - {"@set"}
        if containers:
            raise _UnsupportedError(f"container {sorted(containers)}")
        coercion = definition.get("@type")
        if coercion in ("@json", "@none"):
            raise _UnsupportedError(f"type coercion {coercion}")
        scoped = "@context" in definition
        return _Term(
            _PROPERTY,
            predicate=f"<{iri}>",
            coercion=coercion,
            scoped=scoped,
            plain=coercion is None and not scoped and not self.has_language,
        )

    def type_iri(self, value: str) -> str | None:
        """The IRI of a ``type`` value, expanded in this (the type-scoped) context."""
        if value in self.type_iris:
            return self.type_iris[value]
        iri = _processor()._expand_iri(self.active, value, vocab=True, base="")
        if isinstance(iri, str) and iri.startswith("_:"):
            raise _UnsupportedError("blank node type")
        found = iri if isinstance(iri, str) and _ABSOLUTE_IRI.match(iri) else None
        self.type_iris[value] = found
        return found

    def with_types(self, types: tuple[str, ...]) -> _Context:
        found = self.by_types.get(types)
        if found is None:
            processor = _processor()
            active = self.active
            for value in types:
                scoped = processor.get_context_value(self.active, value, "@context")
                if scoped is not None and scoped is not False:
                    active = processor._process_context(
                        active, scoped, _pyld_options(), propagate=False
                    )
            found = self.by_types[types] = _context_for(active)
        return found

    def with_property_scope(self, key: str) -> _Context:
        found = self.by_property.get(key)
        if found is None:
            processor = _processor()
            scoped = processor.get_context_value(self.active, key, "@context")
            active = processor._process_context(
                self.active, scoped, _pyld_options(), override_protected=True
            )
            found = self.by_property[key] = _context_for(active)
        return found

    def revert(self) -> _Context:
        if self.reverted is None:
            previous = self.active.get("previousContext")
            self.reverted = self if previous is None else _context_for(previous)
        return self.reverted


class _FastExpander:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.quads: list[Quad] = []
        self.dropped: list[str] = []
        self.bnodes = 0

    def run(self) -> Dataset:
        document = self.document
        if not isinstance(document, Mapping):
            raise _UnsupportedError("not an object")
        contexts = document.get("@context")
        if isinstance(contexts, str):
            contexts = [contexts]
        if not isinstance(contexts, list) or not all(isinstance(c, str) for c in contexts):
            raise _UnsupportedError("@context is not a list of URLs")
        context = _top_context(tuple(contexts))
        self._node(document, context, "")
        return Dataset(quads=self.quads, dropped=self.dropped, fast=True)

    def _node(
        self,
        element: Mapping[str, Any],
        context: _Context,
        pointer: str,
        *,
        property_key: str | None = None,
    ) -> str:
        """Emit the quads of a node object; return its subject term.

        ``context`` is the active context of the enclosing node (for the document itself, the
        one its ``@context`` gives) and ``property_key`` the key this node is the value of.
        """
        keys = tuple(element)
        if property_key is not None:
            if "@context" in element:
                raise _UnsupportedError("embedded @context")
            parent = context
            # A type-scoped context does not propagate into nested node objects; a lone
            # subject reference ({"id": ...}) keeps it.
            if context.has_previous and not (len(keys) == 1 and context.term(keys[0]).kind == _ID):
                context = context.revert()
            if parent.term(property_key).scoped:
                context = context.with_property_scope(property_key)
        type_scoped = context
        type_keys = context.type_keys.get(keys)
        if type_keys is None:
            type_keys = context.type_keys[keys] = tuple(
                key for key in sorted(keys) if key != "@context" and context.term(key).kind == _TYPE
            )
        types: list[str] = []
        if type_keys:
            for key in type_keys:
                values = element[key]
                values = values if isinstance(values, list) else [values]
                if not all(isinstance(value, str) for value in values):
                    raise _UnsupportedError("non-string type")
                types.extend(values)
            if types:
                context = context.with_types(tuple(sorted(types)))
        plan = context.plans.get(keys)
        if plan is None:
            plan = context.plans[keys] = _plan(context, keys)
        id_key, properties, dropped = plan
        if id_key is not None:
            value = element[id_key]
            if not isinstance(value, str):
                raise _UnsupportedError("non-string @id")
            found = self._iri(context, value)
            if found is None:
                raise _UnsupportedError("relative or blank node @id")
            subject = found
        else:
            subject = f"_:b{self.bnodes}"
            self.bnodes += 1
        quads = self.quads
        for value in types:
            iri = type_scoped.type_iri(value)
            if iri is None:
                self.dropped.append(f"{pointer}/type")
            else:
                quads.append((subject, RDF_TYPE, f"<{iri}>", ""))
        for key in dropped:
            self.dropped.append(f"{pointer}/{pointer_token(key)}")
        for key, term in properties:
            value = element[key]
            if value.__class__ is list:
                for index, item in enumerate(value):
                    self._value(subject, term, key, item, context, pointer, index)
            elif value.__class__ is str and term.plain:
                quads.append(
                    (
                        subject,
                        term.predicate,
                        '"' + (value if _NO_ESCAPE(value) else escape_literal(value)) + '"',
                        "",
                    )
                )
            else:
                self._value(subject, term, key, value, context, pointer, None)
        return subject

    def _value(
        self,
        subject: str,
        term: _Term,
        key: str,
        value: Any,
        context: _Context,
        pointer: str,
        index: int | None,
    ) -> None:
        cls = value.__class__
        if cls is str and term.plain:
            obj: str | None = '"' + (value if _NO_ESCAPE(value) else escape_literal(value)) + '"'
        elif cls is dict:
            if any(k[:1] == "@" and k != "@context" for k in value):
                raise _UnsupportedError("value, list or set object")
            where = f"{pointer}/{pointer_token(key)}"
            where = where if index is None else f"{where}/{index}"
            obj = self._node(value, context, where, property_key=key)
        elif cls is list:
            raise _UnsupportedError("nested array")
        elif value is None:
            return
        else:
            if term.scoped:
                # A property-scoped context applies to the term's own values too.
                context = context.with_property_scope(key)
                term = context.term(key)
            obj = self._object(term, value, context)
        if obj is None:
            where = f"{pointer}/{pointer_token(key)}"
            self.dropped.append(where if index is None else f"{where}/{index}")
            return
        self.quads.append((subject, term.predicate, obj, ""))

    def _object(self, term: _Term, value: Any, context: _Context) -> str | None:
        coercion = term.coercion
        if isinstance(value, str):
            if context.has_language:
                raise _UnsupportedError("default language")
            if coercion == "@id":
                return self._iri(context, value)
            if coercion == "@vocab":
                iri = _processor()._expand_iri(context.active, value, vocab=True, base="")
                return self._checked_iri(iri)
            if coercion == XSD_DOUBLE:
                raise _UnsupportedError("string with xsd:double coercion")
            return literal(value, coercion)
        if coercion in ("@id", "@vocab"):
            coercion = None  # a number or boolean stays a literal
        if isinstance(value, bool):
            return literal("true" if value else "false", coercion or XSD_BOOLEAN)
        if isinstance(value, int):
            if abs(value) >= 10**21:
                return literal(_canonical_double(float(value)), coercion or XSD_DOUBLE)
            return literal(str(value), coercion or XSD_INTEGER)
        if isinstance(value, float):
            if not math.isfinite(value):
                raise _UnsupportedError("non-finite number")
            if value.is_integer() and abs(value) < 1e21:
                return literal(str(int(value)), coercion or XSD_INTEGER)
            return literal(_canonical_double(value), coercion or XSD_DOUBLE)
        raise _UnsupportedError(f"value of type {type(value).__name__}")

    def _iri(self, context: _Context, value: str) -> str | None:
        prefix, colon, _ = value.partition(":")
        mappings = context.active["mappings"]
        if colon and prefix != "_" and prefix not in mappings and value not in mappings:
            # An absolute IRI whose scheme is not a term: expansion leaves it as it is.
            iri: object = value
        else:
            iri = _processor()._expand_iri(context.active, value, base="")
        return self._checked_iri(iri)

    @staticmethod
    def _checked_iri(iri: object) -> str | None:
        if not isinstance(iri, str) or not _ABSOLUTE_IRI.match(iri):
            return None
        if iri.startswith("_:"):
            raise _UnsupportedError("blank node identifier")
        return f"<{iri}>"


def _plan(
    context: _Context, keys: tuple[str, ...]
) -> tuple[str | None, tuple[tuple[str, _Term], ...], tuple[str, ...]]:
    """For a node with these keys in this context: its id key, its properties, dropped keys."""
    id_key = None
    properties = []
    dropped = []
    for key in keys:
        if key == "@context":
            continue
        term = context.term(key)
        if term.kind == _ID:
            id_key = key
        elif term.kind == _PROPERTY:
            properties.append((key, term))
        elif term.kind == _DROP:
            dropped.append(key)
    return id_key, tuple(properties), tuple(dropped)


def _canonical_double(value: float) -> str:
    """The canonical xsd:double form JSON-LD uses (``1.5E0``)."""
    return re.sub(r"(\d)0*E\+?(-)?0*(\d)", r"\1E\2\3", f"{value:1.15E}")


_CONTEXTS: dict[int, _Context] = {}
_TOP: dict[tuple[str, ...], _Context] = {}


def _context_for(active: dict[str, Any]) -> _Context:
    # PyLD returns the same object for the same processing step thanks to its own caches,
    # but not always; keying on identity keeps our cache exact, and the objects stay alive
    # because each _Context holds its active context.
    found = _CONTEXTS.get(id(active))
    if found is None or found.active is not active:
        found = _CONTEXTS[id(active)] = _Context(active)
    return found


def _top_context(urls: tuple[str, ...]) -> _Context:
    found = _TOP.get(urls)
    if found is None:
        bundled = bundled_urls()
        for url in urls:
            if url not in bundled:
                from transcaspian.vc.contexts import document_loader

                document_loader(url)  # raises UnknownContextError naming the URL
        processor = _processor()
        options = _pyld_options()
        active = processor._process_context(
            processor._get_initial_context(options), list(urls), options
        )
        found = _TOP[urls] = _context_for(active)
    return found


_PROCESSOR: Any = None
_OPTIONS: dict[str, Any] | None = None


def _processor() -> Any:
    global _PROCESSOR  # noqa: PLW0603 - one PyLD processor, built on first use
    if _PROCESSOR is None:
        from pyld import jsonld

        _PROCESSOR = jsonld.JsonLdProcessor()
    return _PROCESSOR


def _pyld_options() -> dict[str, Any]:
    global _OPTIONS  # noqa: PLW0603 - built on first use, shared afterwards
    if _OPTIONS is None:
        from pyld.context_resolver import ContextResolver
        from pyld.jsonld import _resolved_context_cache

        _OPTIONS = {
            "documentLoader": pyld_document_loader,
            "contextResolver": ContextResolver(_resolved_context_cache, pyld_document_loader),
            "processingMode": "json-ld-1.1",
            "base": "",
            "extractAllScripts": False,
            "produceGeneralizedRdf": False,
            # what the eddsa-rdfc-2022 reference implementation (jsonld.js) uses, so that
            # @direction is signed: "x"^^<https://www.w3.org/ns/i18n#ar_rtl>
            "rdfDirection": "i18n-datatype",
        }
    return dict(_OPTIONS)


def _pyld_term(term: Mapping[str, Any]) -> str:
    kind = term["type"]
    value = term["value"]
    if kind == "IRI":
        return f"<{value}>"
    if kind == "blank node":
        return str(value)
    return literal(value, term.get("datatype"), term.get("language"))


def _pyld_term_name(name: str) -> str:
    return name if name.startswith("_:") else f"<{name}>"
