"""Memos that let the verifier skip repeated work without checking any less.

Each memo remembers the result of a pure function under the *whole* input it was computed
from, so a hit is exactly the result a recomputation would give; there is no expiry time and
nothing to invalidate:

- a status list credential's proof is remembered with the list credential's exact JSON and the
  public keys its proof names. A revocation re-signs the list, so the next verification reads a
  different list from the store (it is read live every time), misses the memo and verifies the
  new list; the same holds in every worker process, each with its own memo;
- an organisation's keys as the verifier sees them (:func:`resolved_keys_of`) are remembered
  with the organisation's stored keys; a rotation changes them (a retirement time, a new key),
  so the next verification, which reads the keys live, misses the memo.

The memos are bounded (least recently used out) and safe to share between threads.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from transcaspian.domain.documents.key_lookup import ResolvedKey
from transcaspian.domain.documents.parties import Organisation
from transcaspian.domain.errors import InvalidValueError
from transcaspian.services import credentials_gateway as vc
from transcaspian.services.organisations import resolved_keys_of

__all__ = ["Memo", "resolved_keys", "verify_status_list_proof"]

MEMO_SIZE = 256

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """A bounded, thread-safe map from a computation's whole input to its result."""

    def __init__(self, size: int = MEMO_SIZE):
        self._size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: K, compute: Callable[[], V]) -> V:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
        value = compute()  # outside the lock: two threads may both compute; both are right
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_LIST_PROOFS: Memo[tuple[str, tuple[tuple[str, bytes], ...]], vc.ProofResult] = Memo()
_KEYS: Memo[tuple[str, Hashable], dict[str, ResolvedKey]] = Memo()


def verify_status_list_proof(
    listed: dict[str, Any], resolve: Callable[[str], Ed25519PublicKey]
) -> vc.ProofResult:
    """``vc.verify_proof(listed, resolve)``, remembered under the list credential's exact JSON
    and the raw public keys ``resolve`` gives for the methods its proof names."""
    key = _list_proof_key(listed, resolve)
    if key is None:  # a shape the memo does not key on: verify, and let the proof check say
        return vc.verify_proof(listed, resolve)
    return _LIST_PROOFS.get(key, lambda: vc.verify_proof(listed, resolve))


def resolved_keys(organisation: Organisation) -> dict[str, ResolvedKey]:
    """:func:`resolved_keys_of`, remembered under the organisation's DID and stored keys."""
    found = _KEYS.get((organisation.did, organisation.keys), lambda: resolved_keys_of(organisation))
    return dict(found)  # a copy: callers may not change the remembered one


def _list_proof_key(
    listed: dict[str, Any], resolve: Callable[[str], Ed25519PublicKey]
) -> tuple[str, tuple[tuple[str, bytes], ...]] | None:
    proofs = listed.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs]
    methods = [p.get("verificationMethod") for p in proofs if isinstance(p, dict)]
    named = [m for m in methods if isinstance(m, str)]
    if not named or len(named) != len(proofs):
        return None
    try:
        # no sort_keys: the exact member order too, so equal text means the same document
        text = json.dumps(listed, ensure_ascii=True, allow_nan=False)
        keys = tuple((m, resolve(m).public_bytes_raw()) for m in named)
    except (InvalidValueError, LookupError, TypeError, ValueError):
        return None
    return text, keys
