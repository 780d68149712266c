"""RDF Dataset Canonicalization (RDFC-1.0, formerly URDNA2015) over N-Quads terms.

A quad is a tuple ``(subject, predicate, object, graph)`` of terms already written in
N-Quads form: ``<iri>``, ``_:label`` or a literal (``"text"``, ``"text"@en``,
``"text"^^<datatype>``); ``graph`` is ``""`` for the default graph. Working on the written
form keeps hashing to string joins, which is what makes canonicalization cheap enough to run
on every verification.

The algorithm follows https://www.w3.org/TR/rdf-canon/ step by step (hash first-degree quads,
issue identifiers for unique hashes in hash order, then Hash N-Degree Quads for the rest).
Its output is compared with PyLD's URDNA2015 and with the W3C test vectors in the tests.
Literal escaping follows the canonical N-Quads form of RDF 1.2 (as Digital Bazaar's
rdf-canonize does); PyLD 3.3 differs only for control characters other than tab, line feed
and carriage return.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Sequence

from transcaspian.domain.errors import InvalidValueError

Quad = tuple[str, str, str, str]

__all__ = [
    "CanonicalizationLimitError",
    "Quad",
    "canonical_nquads",
    "canonicalize",
    "escape_literal",
    "literal",
    "serialize_quad",
]

MAX_DEEP_ITERATIONS = 4096
"""Calls of Hash N-Degree Quads allowed for one dataset: a guard against "poisoned" datasets
built to make canonicalization take exponential time (RDFC-1.0 §4.4, security note)."""


class CanonicalizationLimitError(InvalidValueError):
    """The dataset needs more work to canonicalize than :data:`MAX_DEEP_ITERATIONS` allows."""

    code = "canonicalization-limit"


def canonical_nquads(quads: Iterable[Quad]) -> str:
    """The canonical N-Quads document of a dataset: sorted lines, each ending in ``\\n``."""
    return "".join(canonicalize(quads))


def canonicalize(quads: Iterable[Quad]) -> list[str]:
    """The canonical N-Quads lines (sorted, each ending in ``\\n``) of a dataset.

    Duplicate quads count once (a dataset is a set). Raises CanonicalizationLimitError for a
    dataset that needs too many N-degree hashing steps.
    """
    unique = list(dict.fromkeys(quads))
    return _Canonicalizer(unique).run()


def serialize_quad(quad: Quad) -> str:
    """One N-Quads line of a quad whose terms are already written as N-Quads."""
    subject, predicate, obj, graph = quad
    if graph:
        return f"{subject} {predicate} {obj} {graph} .\n"
    return f"{subject} {predicate} {obj} .\n"


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_ESCAPES = {
    **{code: f"\\u{code:04X}" for code in (*range(0x20), 0x7F)},
    0x08: "\\b",
    0x09: "\\t",
    0x0A: "\\n",
    0x0C: "\\f",
    0x0D: "\\r",
    0x22: '\\"',
    0x5C: "\\\\",
}
_NEEDS_ESCAPE = frozenset(chr(code) for code in _ESCAPES)


needs_no_escape = _NEEDS_ESCAPE.isdisjoint
"""True when a string can be written in a literal as it is."""


def escape_literal(text: str) -> str:
    """The body of an N-Quads string literal in canonical form (RDF 1.2 N-Quads)."""
    if _NEEDS_ESCAPE.isdisjoint(text):
        return text
    return text.translate(_ESCAPES)


def literal(text: str, datatype: str | None = None, language: str | None = None) -> str:
    """An N-Quads literal term; ``xsd:string`` is written without its datatype."""
    body = '"' + escape_literal(text) + '"'
    if language is not None:
        return f"{body}@{language}"
    if datatype is None or datatype == _XSD_STRING:
        return body
    return f"{body}^^<{datatype}>"


class _Issuer:
    """Issues ``prefix + counter`` identifiers in order (RDFC-1.0 identifier issuer)."""

    __slots__ = ("issued", "prefix")

    def __init__(self, prefix: str, issued: dict[str, str] | None = None) -> None:
        self.prefix = prefix
        self.issued: dict[str, str] = {} if issued is None else issued

    def issue(self, identifier: str) -> str:
        found = self.issued.get(identifier)
        if found is None:
            found = self.issued[identifier] = f"{self.prefix}{len(self.issued)}"
        return found

    def copy(self) -> _Issuer:
        return _Issuer(self.prefix, dict(self.issued))


class _Canonicalizer:
    def __init__(self, quads: Sequence[Quad]) -> None:
        self.quads = quads
        self.bnode_quads: dict[str, list[Quad]] = {}
        self.first_degree: dict[str, str] = {}
        self.canonical = _Issuer("_:c14n")
        self.deep_iterations = 0
        self.default_graph_only = True
        for quad in quads:
            subject, _, obj, graph = quad
            if subject[0] == "_":
                self.bnode_quads.setdefault(subject, []).append(quad)
            if obj[0] == "_" and obj != subject:
                self.bnode_quads.setdefault(obj, []).append(quad)
            if graph:
                self.default_graph_only = False
                if graph[0] == "_" and graph not in (subject, obj):
                    self.bnode_quads.setdefault(graph, []).append(quad)

    def run(self) -> list[str]:
        if not self.bnode_quads:
            return sorted({serialize_quad(quad) for quad in self.quads})
        if self.default_graph_only:
            self._hash_all_first_degree()
        hash_to_bnodes: dict[str, list[str]] = {}
        for bnode in self.bnode_quads:
            hash_to_bnodes.setdefault(self._hash_first_degree(bnode), []).append(bnode)
        shared: list[list[str]] = []
        issue = self.canonical.issue
        for _, bnodes in sorted(hash_to_bnodes.items()):
            if len(bnodes) == 1:
                issue(bnodes[0])
            else:
                shared.append(bnodes)
        for bnodes in shared:
            paths: list[tuple[str, _Issuer]] = []
            for bnode in bnodes:
                if bnode in self.canonical.issued:
                    continue
                issuer = _Issuer("_:b")
                issuer.issue(bnode)
                paths.append(self._hash_n_degree(bnode, issuer))
            for _, issuer in sorted(paths, key=lambda result: result[0]):
                for existing in issuer.issued:
                    issue(existing)
        labels = self.canonical.issued
        if self.default_graph_only:
            lines = {
                f"{labels[subject] if subject[0] == '_' else subject} {predicate} "
                f"{labels[obj] if obj[0] == '_' else obj} .\n"
                for subject, predicate, obj, _ in self.quads
            }
            return sorted(lines)
        out = set()
        for quad in self.quads:
            subject, predicate, obj, graph = quad
            if subject[0] == "_":
                subject = labels[subject]
            if obj[0] == "_":
                obj = labels[obj]
            if graph and graph[0] == "_":
                graph = labels[graph]
            out.add(serialize_quad((subject, predicate, obj, graph)))
        return sorted(out)

    def _hash_all_first_degree(self) -> None:
        """Hash First Degree Quads for every blank node in one pass (default graph only):
        each quad adds its line, with ``_:a``/``_:z`` put in, to the blank nodes in it."""
        lines: dict[str, list[str]] = {bnode: [] for bnode in self.bnode_quads}
        for subject, predicate, obj, _ in self.quads:
            if subject[0] == "_":
                if obj[0] == "_":
                    if obj == subject:
                        lines[subject].append(f"_:a {predicate} _:a .\n")
                    else:
                        lines[subject].append(f"_:a {predicate} _:z .\n")
                        lines[obj].append(f"_:z {predicate} _:a .\n")
                else:
                    lines[subject].append(f"_:a {predicate} {obj} .\n")
            elif obj[0] == "_":
                lines[obj].append(f"{subject} {predicate} _:a .\n")
        sha256 = hashlib.sha256
        first_degree = self.first_degree
        for bnode, bnode_lines in lines.items():
            bnode_lines.sort()
            first_degree[bnode] = sha256("".join(bnode_lines).encode("utf-8")).hexdigest()

    def _hash_first_degree(self, bnode: str) -> str:
        found = self.first_degree.get(bnode)
        if found is not None:
            return found
        lines = []
        for quad in self.bnode_quads[bnode]:
            subject, predicate, obj, graph = quad
            if subject[0] == "_":
                subject = "_:a" if subject == bnode else "_:z"
            if obj[0] == "_":
                obj = "_:a" if obj == bnode else "_:z"
            if graph and graph[0] == "_":
                graph = "_:a" if graph == bnode else "_:z"
            lines.append(serialize_quad((subject, predicate, obj, graph)))
        lines.sort()
        found = self.first_degree[bnode] = hashlib.sha256(
            "".join(lines).encode("utf-8")
        ).hexdigest()
        return found

    def _hash_related(self, related: str, quad: Quad, issuer: _Issuer, position: str) -> str:
        identifier = self.canonical.issued.get(related) or issuer.issued.get(related)
        if identifier is None:
            identifier = self._hash_first_degree(related)
        text = position + (quad[1] if position != "g" else "") + identifier
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _hash_n_degree(self, bnode: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        self.deep_iterations += 1
        if self.deep_iterations > MAX_DEEP_ITERATIONS:
            raise CanonicalizationLimitError(
                "the document's blank nodes are too entangled to canonicalize "
                f"(more than {MAX_DEEP_ITERATIONS} N-degree hashing steps)"
            )
        hash_to_related: dict[str, list[str]] = {}
        for quad in self.bnode_quads[bnode]:
            subject, _, obj, graph = quad
            for component, position in ((subject, "s"), (obj, "o"), (graph, "g")):
                if component and component[0] == "_" and component != bnode:
                    related_hash = self._hash_related(component, quad, issuer, position)
                    hash_to_related.setdefault(related_hash, []).append(component)
        data = hashlib.sha256()
        for related_hash, related_bnodes in sorted(hash_to_related.items()):
            data.update(related_hash.encode("utf-8"))
            chosen_path = ""
            chosen_issuer: _Issuer | None = None
            for permutation in itertools.permutations(related_bnodes):
                candidate = self._path_for(permutation, issuer, chosen_path)
                if candidate is None:
                    continue
                path, issuer_copy = candidate
                if not chosen_path or path < chosen_path:
                    chosen_path, chosen_issuer = path, issuer_copy
            data.update(chosen_path.encode("utf-8"))
            assert chosen_issuer is not None  # the first permutation is always taken
            issuer = chosen_issuer
        return data.hexdigest(), issuer

    def _path_for(
        self, permutation: Sequence[str], issuer: _Issuer, chosen_path: str
    ) -> tuple[str, _Issuer] | None:
        """Steps 5.4.1-5.4.5 for one permutation; None when it cannot beat chosen_path."""
        issuer_copy = issuer.copy()
        path = ""
        recursion: list[str] = []
        for related in permutation:
            canonical = self.canonical.issued.get(related)
            if canonical is not None:
                path += canonical
            else:
                if related not in issuer_copy.issued:
                    recursion.append(related)
                path += issuer_copy.issue(related)
            if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                return None
        for related in recursion:
            result_hash, result_issuer = self._hash_n_degree(related, issuer_copy)
            path += issuer_copy.issue(related) + "<" + result_hash + ">"
            issuer_copy = result_issuer
            if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                return None
        return path, issuer_copy
