"""Secret links: a public prefix for lookup plus a secret part, stored hashed.

A token is ``<prefix><secret>``: ``PREFIX_LENGTH`` characters of public
prefix (stored in clear, indexed, used only to find the row) followed by the
secret part. Only a keyed hash (HMAC-SHA256) of the whole token is stored, and
candidates are compared with :func:`hmac.compare_digest` (constant time).
The secret part carries ``SECRET_BYTES * 8`` = 192 bits of randomness.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass

PREFIX_LENGTH = 8
SECRET_BYTES = 24
_ALPHABET = set(string.ascii_letters + string.digits + "-_")
#: Length of a well-formed token (prefix + base64url of SECRET_BYTES bytes).
TOKEN_LENGTH = PREFIX_LENGTH + 32


@dataclass(frozen=True)
class NewToken:
    token: str
    prefix: str
    digest: str


def hash_token(token: str, key: bytes) -> str:
    """Keyed hash of ``token`` (hex HMAC-SHA256)."""
    return hmac.new(key, token.encode("utf-8"), hashlib.sha256).hexdigest()


def new_token(key: bytes) -> NewToken:
    """A fresh random token with its public prefix and keyed hash."""
    prefix = secrets.token_urlsafe(PREFIX_LENGTH)[:PREFIX_LENGTH]
    token = prefix + secrets.token_urlsafe(SECRET_BYTES)
    return NewToken(token=token, prefix=prefix, digest=hash_token(token, key))


def is_well_formed(token: str) -> bool:
    return len(token) == TOKEN_LENGTH and set(token) <= _ALPHABET


def prefix_of(token: str) -> str:
    return token[:PREFIX_LENGTH]


def matches(token: str, digest: str, key: bytes) -> bool:
    """Constant-time comparison of ``token`` against a stored ``digest``."""
    return hmac.compare_digest(hash_token(token, key), digest)
