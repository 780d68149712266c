"""W3C Verifiable Credentials: contexts, keys, Data Integrity proofs, status lists.

Modules (none does I/O: the JSON-LD contexts are bundled files read once):

* :mod:`transcaspian.vc.contexts` — bundled contexts and an offline document loader;
* :mod:`transcaspian.vc.keys` — Ed25519 Multikey, did:key, did:web documents;
* :mod:`transcaspian.vc.rdf` and :mod:`transcaspian.vc.rdfc` — JSON-LD to RDF (compiled fast
  path, PyLD fallback) and RDF Dataset Canonicalization (RDFC-1.0);
* :mod:`transcaspian.vc.data_integrity` — ``eddsa-rdfc-2022`` sign and verify;
* :mod:`transcaspian.vc.status_list` — Bitstring Status List 1.0;
* :mod:`transcaspian.vc.credentials` — VC 2.0 credentials for our document types.
"""
