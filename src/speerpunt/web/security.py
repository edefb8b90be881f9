"""Password hashing, session tokens, CSRF tokens and login rate limiting.

Sessions: every visitor carries a random ``sp_session`` cookie (HTTP-only, SameSite=Lax). The database
stores only its SHA-256, mapped to a user after login; login issues a fresh token (no session fixation).
CSRF: the token is ``HMAC(secret, session token)``; every POST/PUT/PATCH/DELETE must send it back in the
form field ``csrf_token`` or the ``X-CSRF-Token`` header. A cross-site page can neither read the cookie nor
compute the HMAC.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()
SESSION_COOKIE = "sp_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def hash_password(password: str) -> str:
    """Argon2id hash (argon2-cffi defaults: RFC 9106 low-memory profile)."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database keeps of a session token (a leaked table does not give live sessions)."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(secret: str, session_token: str) -> str:
    return hmac.new(secret.encode(), session_token.encode(), hashlib.sha256).hexdigest()


def csrf_valid(secret: str, session_token: str | None, sent: str | None) -> bool:
    if not session_token or not sent:
        return False
    return hmac.compare_digest(csrf_token(secret, session_token), sent)


class LoginLimiter:
    """At most ``max_failures`` failed logins per user name, and four times as many per client address
    (a shared office address must not lock out the whole team), in a sliding window."""

    def __init__(self, max_failures: int = 5, window_seconds: int = 300) -> None:
        self.max_failures = max_failures
        self.limits = {"ip": 4 * max_failures, "user": max_failures}
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures[key]
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def blocked(self, client: str, username: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(
                len(self._recent(k, now)) >= self.limits[k.split(":", 1)[0]]
                for k in (f"ip:{client}", f"user:{username.lower()}")
            )

    def failed(self, client: str, username: str) -> None:
        now = time.monotonic()
        with self._lock:
            for k in (f"ip:{client}", f"user:{username.lower()}"):
                self._recent(k, now).append(now)

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(f"user:{username.lower()}", None)
