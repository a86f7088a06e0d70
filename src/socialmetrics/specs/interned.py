"""Specs cross process boundaries by content and arrive as the receiving process's own copy.

Every chunk of files sent to a worker carries the rules (the specs), and every result sent
back carries the spec it was read with. Unpickled the plain way, each arrival is a new object:
the per-spec caches (alias index, required headers), keyed by identity, would be rebuilt and
kept for every copy, so a worker's memory, and the main process's, grew with the number of
chunks (~1 MB a client). Pickled here, a spec is its content's key and its pickled fields; the
receiving process builds it once per content and hands back that object ever after.
"""

from __future__ import annotations

import hashlib
import pickle
import weakref
from collections.abc import Callable
from dataclasses import fields
from typing import Any

_BY_KEY: weakref.WeakValueDictionary[str, Any] = weakref.WeakValueDictionary()
"""Content key -> this process's object of that content."""
_PICKLED: weakref.WeakKeyDictionary[Any, tuple[str, bytes]] = weakref.WeakKeyDictionary()
"""Object -> (its content key, its pickled class and fields), made once per object."""


def reduce_interned(obj: Any) -> tuple[Callable[[str, bytes], Any], tuple[str, bytes]]:
    """`__reduce__` of a frozen dataclass hashed by identity: unpickles as `interned`."""
    pickled = _PICKLED.get(obj)
    if pickled is None:
        state = (type(obj), tuple(getattr(obj, f.name) for f in fields(obj)))
        blob = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
        pickled = (hashlib.blake2b(blob, digest_size=16).hexdigest(), blob)
        _PICKLED[obj] = pickled
        _BY_KEY.setdefault(pickled[0], obj)
    return interned, pickled


def interned(key: str, blob: bytes) -> Any:
    """The object of this content in this process: built from `blob` the first time only."""
    obj = _BY_KEY.get(key)
    if obj is None:
        cls, values = pickle.loads(blob)  # our own pickle, made by `reduce_interned`
        obj = cls(*values)
        _BY_KEY[key] = obj
        _PICKLED[obj] = (key, blob)
    return obj
