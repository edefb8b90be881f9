"""Password hashing, session tokens, CSRF tokens and login rate limiting.

Sessions: every visitor carries a random ``sp_session`` cookie (HTTP-only, SameSite=Lax). The database
stores only its SHA-256, mapped to a user after login; login issues a fresh token (no session fixation).
CSRF: the token is ``HMAC(secret, session token)``; every POST/PUT/PATCH/DELETE must send it back in the
form field ``csrf_token`` or the ``X-CSRF-Token`` header. A cross-site page can neither read the cookie nor
compute the HMAC.
Login rate limit (:class:`speerpunt.web.accounts.LoginLimiter`): keyed on the normalised user name (NFKC,
stripped, case-folded: `` Admin`` and ``admin`` count together) and on the client address, see
:func:`login_keys`. ``X-Forwarded-For`` is believed only when the direct peer is one of the proxies
configured in ``trusted_proxies`` (none by default), see :func:`client_address`.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

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


def normalise_username(username: str) -> str:
    """The form of a user name that rate limiting counts by: NFKC, no surrounding space, case-folded.

    >>> normalise_username("  ＡＤＭＩＮ ") == normalise_username("admin")
    True
    """
    return unicodedata.normalize("NFKC", username).strip().casefold()


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_proxies(spec: str | Iterable[str]) -> tuple[Network, ...]:
    """Trusted proxy addresses or networks (``"10.0.0.1, 192.168.0.0/24"``); a bad entry is an error."""
    from speerpunt.errors import ConfigError, Text

    items = spec.split(",") if isinstance(spec, str) else list(spec)
    out = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        try:
            out.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(
                Text("err_not_ip_network", item=item), column="trusted proxies"
            ) from None
    return tuple(out)


def _is_trusted(address: str, proxies: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in proxies)


def client_address(
    peer: str | None, forwarded_for: str | None, proxies: tuple[Network, ...]
) -> str:
    """The address a request comes from.

    ``peer`` (the TCP peer) is the answer unless it is a trusted proxy; then ``X-Forwarded-For`` is read
    from the right and the first address that is not itself a trusted proxy is the client. With no proxies
    configured the header is ignored, so nobody can choose the address they are counted under.

    >>> client_address("127.0.0.1", "1.2.3.4", ())
    '127.0.0.1'
    >>> client_address("10.0.0.1", "6.6.6.6, 1.2.3.4", parse_proxies("10.0.0.0/8"))
    '1.2.3.4'
    """
    peer = peer or "?"
    if not proxies or not forwarded_for or not _is_trusted(peer, proxies):
        return peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if not _is_trusted(hop, proxies):
            return hop
    return peer


def content_disposition(filename: str, kind: str = "attachment") -> str:
    """A ``Content-Disposition`` value for any file name: an ASCII ``filename`` for old clients and the
    exact UTF-8 name in ``filename*`` (RFC 6266 / RFC 5987), so ``Łódź`` never breaks the header.

    >>> print(content_disposition("speerpunt_Łódź_nl.csv"))
    attachment; filename="speerpunt_Lodz_nl.csv"; filename*=UTF-8''speerpunt_%C5%81%C3%B3d%C5%BA_nl.csv
    """
    ascii_name = (
        unicodedata.normalize("NFKD", filename.replace("Ł", "L").replace("ł", "l"))
        .encode("ascii", "ignore")
        .decode()
    )
    ascii_name = "".join(c if c.isprintable() and c not in '"\\' else "_" for c in ascii_name)
    return f"{kind}; filename=\"{ascii_name or 'download'}\"; filename*=UTF-8''{quote(filename, safe='')}"


def login_keys(client: str, username: str) -> tuple[str, str]:
    """What failed logins are counted under: the client address, and a digest of the normalised user name
    (a password typed into the name field is never stored).

    >>> a, b = login_keys("10.0.0.1", " Lena"), login_keys("10.0.0.1", "LENA")
    >>> a == b, a[0]
    (True, 'ip:10.0.0.1')
    """
    digest = hashlib.sha256(normalise_username(username).encode("utf-8")).hexdigest()[:40]
    return f"ip:{client[:60]}", f"user:{digest}"
