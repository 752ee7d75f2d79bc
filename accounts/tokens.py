"""Invitation tokens: random, URL-safe, and stored only as a SHA-256 digest.

A leaked database then holds no usable link, and a token is found again by hashing it:
no constant-time comparison is needed because the lookup is by the digest itself.
"""

import hashlib
import secrets

# 32 random bytes: 43 URL-safe characters, far beyond guessing.
_TOKEN_BYTES = 32


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_token_new() -> tuple[str, str]:
    """Return a fresh token (to e-mail) and its digest (to store)."""
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    return token, invitation_token_hash(token)
