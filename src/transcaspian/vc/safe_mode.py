"""What JSON-LD would leave out of a signature: every JSON member that does not reach the RDF.

A Data Integrity proof signs the canonical RDF of a document, not its JSON. JSON-LD expansion
silently drops what it cannot interpret, so a verifier that shows the JSON could show content
the signature does not cover. Digital Bazaar's jsonld.js refuses such documents in its "safe
mode"; PyLD has no such mode, so :class:`SafeModeProcessor` adds one. It is PyLD's own
expansion (exactly the same algorithm, the same contexts), watched at the one place where a
node or value object's members are interpreted, and records the JSON pointer of every member
that will not be signed:

* a key whose term expands to nothing: no context defines it and there is no ``@vocab``, or a
  context maps it to ``null`` (``{"x": null}``);
* a key that looks like a keyword but is none (``@comment``), which JSON-LD ignores;
* a keyword that means nothing where it stands (``@version`` in a node object), or that
  expansion keeps but RDF has no place for (``@index``, the keys of an index map);
* a value object with only ``@language`` or a ``null`` ``@value``.

Relative IRIs (an ``id`` or ``type`` that is not an absolute IRI) survive expansion but not
the conversion to RDF; :mod:`transcaspian.vc.rdf` reports those from the quads. A ``null``
value and an empty array carry no statement in JSON-LD (the member is as good as absent) and
are accepted, as jsonld.js safe mode accepts them.
"""

from __future__ import annotations

from typing import Any

from pyld.jsonld import JsonLdProcessor, _is_absolute_iri, _is_keyword

from transcaspian.vc.rdf import pointer_token

__all__ = ["SafeModeProcessor"]

# Keywords a node object or a value object may carry (JSON-LD 1.1 §9.2, §9.5 and §9.7);
# @index is not here: expansion keeps it, but RDF has no place for it.
_MEANINGFUL_KEYWORDS = frozenset(
    {
        "@id",
        "@type",
        "@value",
        "@language",
        "@direction",
        "@list",
        "@set",
        "@graph",
        "@included",
        "@reverse",
        "@nest",
    }
)


class SafeModeProcessor(JsonLdProcessor):  # type: ignore[misc]  # PyLD is untyped
    """PyLD's processor, recording in :attr:`dropped` every member that will not be signed.

    One instance per document: it learns the pointers of the document's objects on the first
    call of the expansion (PyLD expands a private deep copy, so they are taken from that copy).
    """

    def __init__(self) -> None:
        super().__init__()
        self.dropped: list[str] = []
        self._pointers: dict[int, str] = {}
        self._root: Any = None

    def _expand(
        self,
        active_ctx: Any,
        active_property: Any,
        element: Any,
        options: Any,
        inside_list: bool = False,
        inside_index: bool = False,
        type_scoped_ctx: Any = None,
    ) -> Any:
        if self._root is None and active_property is None:
            self._root = element  # keep the copy alive: its ids stay unique
            _index(element, "", self._pointers)
        return super()._expand(
            active_ctx,
            active_property,
            element,
            options,
            inside_list=inside_list,
            inside_index=inside_index,
            type_scoped_ctx=type_scoped_ctx,
        )

    def _expand_object(
        self,
        active_ctx: Any,
        active_property: Any,
        expanded_active_property: Any,
        element: Any,
        expanded_parent: Any,
        options: Any,
        inside_list: bool = False,
        type_key: Any = None,
        type_scoped_ctx: Any = None,
    ) -> Any:
        pointer = self._pointers.get(id(element), "")
        for key, value in element.items():
            if key == "@context":
                continue
            where = f"{pointer}/{pointer_token(key)}"
            expanded = self._expand_iri(active_ctx, key, vocab=True)
            if expanded is None or not (_is_absolute_iri(expanded) or _is_keyword(expanded)):
                self.dropped.append(where)
                continue
            if _is_keyword(expanded):
                if (
                    expanded not in _MEANINGFUL_KEYWORDS
                    or (expanded == "@value" and value is None)
                    or (expanded == "@language" and len(element.keys() - {"@context"}) == 1)
                ):
                    self.dropped.append(where)
                continue
            container = JsonLdProcessor.arrayify(
                JsonLdProcessor.get_context_value(active_ctx, key, "@container")
            )
            if "@index" in container:
                definition = active_ctx["mappings"].get(key) or {}
                if "@index" not in definition:  # not a property-valued index
                    self.dropped.append(where)
        return super()._expand_object(
            active_ctx,
            active_property,
            expanded_active_property,
            element,
            expanded_parent,
            options,
            inside_list=inside_list,
            type_key=type_key,
            type_scoped_ctx=type_scoped_ctx,
        )


def _index(value: Any, pointer: str, pointers: dict[int, str]) -> None:
    if isinstance(value, dict):
        pointers[id(value)] = pointer
        for key, child in value.items():
            _index(child, f"{pointer}/{pointer_token(str(key))}", pointers)
    elif isinstance(value, list):
        pointers[id(value)] = pointer
        for position, child in enumerate(value):
            _index(child, f"{pointer}/{position}", pointers)
