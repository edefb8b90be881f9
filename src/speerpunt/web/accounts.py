"""User accounts, roles, sessions, saved screening configurations and the web audit log.

These tables live in their own SQLAlchemy metadata (prefix ``web_``) on the registry's database and are
created with ``metadata.create_all`` at start: they do not depend on the registry's schema, so the
registry's migrations and these tables evolve independently. Changes to registry records are audited in
the registry's own history table; ``web_audit`` records what the web layer itself changes (users,
screening configurations, overrides).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from speerpunt.errors import ConfigError
from speerpunt.web.security import hash_password, login_keys, token_digest, verify_password

ROLES = ("viewer", "editor", "admin")
SESSION_CACHE_SECONDS = 5.0
RANK = {role: i for i, role in enumerate(ROLES)}


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class WebBase(DeclarativeBase):
    pass


class User(WebBase):
    __tablename__ = "web_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    actor_links: Mapped[list[UserActor]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def actors(self) -> list[str]:
        return sorted(link.actor_id for link in self.actor_links)

    def has_role(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]

    def as_dict(self) -> dict:
        return {"id": self.id, "username": self.username, "role": self.role, "actors": self.actors}


class UserActor(WebBase):
    """The actors whose registry records an editor may change (actor ids as the registry spells them)."""

    __tablename__ = "web_user_actors"
    user_id: Mapped[int] = mapped_column(ForeignKey("web_users.id"), primary_key=True)
    actor_id: Mapped[str] = mapped_column(String(120), primary_key=True)


class WebSession(WebBase):
    __tablename__ = "web_sessions"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_users.id"))
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class ScreeningConfig(WebBase):
    """A named screening configuration (criteria, thresholds and overrides as JSON)."""

    __tablename__ = "web_screening_configs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    owner: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "owner": self.owner,
            "version": self.version,
            "updated_at": self.updated_at.isoformat(timespec="seconds"),
            **json.loads(self.body),
        }


#: The configurations' version (see Accounts.configs_version), built once.
_CONFIGS_VERSION = select(
    func.count(ScreeningConfig.id), func.coalesce(func.sum(ScreeningConfig.version), 0)
)


class StaleConfig(Exception):
    """A configuration save that did not start from the current version (HTTP 409): optimistic
    concurrency, so two editors never silently overwrite each other's work."""

    def __init__(self, name: str, expected: int | None, current: dict | None) -> None:
        self.name, self.expected, self.current = name, expected, current
        super().__init__(self.text("en"))  # the JSON API's text

    def text(self, lang: str) -> str:
        """The message in ``lang`` (the catalogue's ``err_config_*``)."""
        from speerpunt.i18n import gettext

        name, expected, current = self.name, self.expected, self.current
        if current is None:
            return gettext(lang, "err_config_gone", name=name, expected=expected)
        version = current["version"]
        if expected is None:
            return gettext(
                lang, "err_config_exists", name=name, version=version, owner=current["owner"]
            )
        saved = current["updated_at"]
        return gettext(
            lang, "err_config_changed", name=name, version=version, saved=saved, expected=expected
        )


class Audit(WebBase):
    __tablename__ = "web_audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=now)
    username: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(200))
    before: Mapped[str] = mapped_column(Text, default="null")
    after: Mapped[str] = mapped_column(Text, default="null")

    def as_dict(self) -> dict:
        return {
            "at": self.at.isoformat(timespec="seconds"),
            "user": self.username,
            "action": self.action,
            "target": self.target,
            "before": json.loads(self.before),
            "after": json.loads(self.after),
        }


class LoginFailure(WebBase):
    """One failed login under one key (client address or user-name digest)."""

    __tablename__ = "web_login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)


class LoginLimiter:
    """At most ``max_failures`` failed logins per user name, and four times as many per client address
    (a shared office address must not lock out the whole team), in a sliding window.

    Failures are kept in the database, so every worker process and every server on the same database
    counts them together (an in-memory count would give each worker its own allowance).
    """

    def __init__(self, engine: Engine, max_failures: int = 5, window_seconds: int = 300) -> None:
        self.engine = engine
        self.limits = (4 * max_failures, max_failures)
        self.window = timedelta(seconds=window_seconds)
        WebBase.metadata.create_all(engine, tables=[LoginFailure.__table__])

    def blocked(self, client: str, username: str) -> bool:
        keys = login_keys(client, username)
        with Session(self.engine) as s:
            counts = dict(
                s.execute(
                    select(LoginFailure.key, func.count())
                    .where(LoginFailure.key.in_(keys), LoginFailure.at > now() - self.window)
                    .group_by(LoginFailure.key)
                ).all()
            )
        return any(counts.get(k, 0) >= limit for k, limit in zip(keys, self.limits, strict=True))

    def failed(self, client: str, username: str) -> None:
        at = now()
        with Session(self.engine) as s:
            s.execute(delete(LoginFailure).where(LoginFailure.at < at - self.window))
            s.add_all([LoginFailure(key=k, at=at) for k in login_keys(client, username)])
            s.commit()

    def succeeded(self, username: str) -> None:
        with Session(self.engine) as s:
            s.execute(delete(LoginFailure).where(LoginFailure.key == login_keys("", username)[1]))
            s.commit()


def make_engine(url: str) -> Engine:
    kwargs: dict = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    return create_engine(url, **kwargs)


class Accounts:
    """Users, sessions, configurations and audit entries on one database."""

    def __init__(self, engine: Engine, session_hours: int = 12) -> None:
        self.engine = engine
        self.session_hours = session_hours
        WebBase.metadata.create_all(engine)
        # token digest → (checked at, user or None): saves a query per request; any change to users or
        # sessions clears it, and entries live at most SESSION_CACHE_SECONDS.
        self._seen: dict[str, tuple[float, User | None]] = {}

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # ---- users ------------------------------------------------------------------------------
    def count_users(self) -> int:
        with self.session() as s:
            return len(s.scalars(select(User.id)).all())

    def users(self) -> list[User]:
        with self.session() as s:
            return list(s.scalars(select(User).order_by(User.username)))

    def get(self, user_id: int) -> User | None:
        with self.session() as s:
            return s.get(User, user_id)

    def create_user(
        self, username: str, password: str, role: str, actors: list[str] = (), *, by: str = "system"
    ) -> User:
        username = username.strip()
        _check_user(username, password, role)
        with self.session() as s:
            if s.scalar(select(User).where(User.username == username)):
                raise ConfigError(f"user '{username}' already exists", column="username")
            user = User(
                username=username,
                password_hash=hash_password(password),
                role=role,
                actor_links=[UserActor(actor_id=a) for a in sorted(set(actors))],
            )
            s.add(user)
            s.flush()
            self._audit(s, by, "user.create", username, None, user.as_dict())
            s.commit()
            return user

    def update_user(
        self,
        user_id: int,
        *,
        by: str,
        role: str | None = None,
        actors: list[str] | None = None,
        password: str | None = None,
    ) -> User:
        with self.session() as s:
            user = s.get(User, user_id)
            if user is None:
                raise ConfigError(f"no user with id {user_id}", column="id")
            before = user.as_dict()
            if role is not None:
                _check_user(user.username, password or "x" * 12, role)
                user.role = role
            if actors is not None:
                user.actor_links = [UserActor(actor_id=a) for a in sorted(set(actors))]
            if password:
                _check_user(user.username, password, user.role)
                user.password_hash = hash_password(password)
                s.execute(delete(WebSession).where(WebSession.user_id == user_id))
            s.flush()
            after = user.as_dict()
            self._audit(
                s,
                by,
                "user.update",
                user.username,
                before,
                {**after, "password_changed": bool(password)},
            )
            s.commit()
        self._forget()
        return user

    def delete_user(self, user_id: int, *, by: str) -> None:
        with self.session() as s:
            user = s.get(User, user_id)
            if user is None:
                raise ConfigError(f"no user with id {user_id}", column="id")
            before = user.as_dict()
            s.execute(delete(WebSession).where(WebSession.user_id == user_id))
            s.delete(user)
            self._audit(s, by, "user.delete", before["username"], before, None)
            s.commit()
        self._forget()

    def authenticate(self, username: str, password: str) -> User | None:
        with self.session() as s:
            user = s.scalar(select(User).where(User.username == username.strip()))
            if user is None:
                # Same cost as a real check, so timing does not reveal which names exist.
                verify_password(_DUMMY_HASH, password)
                return None
            return user if verify_password(user.password_hash, password) else None

    # ---- sessions ---------------------------------------------------------------------------
    def open_session(self, user: User, token: str) -> None:
        with self.session() as s:
            s.execute(delete(WebSession).where(WebSession.expires_at < now()))
            s.add(
                WebSession(
                    digest=token_digest(token),
                    user_id=user.id,
                    expires_at=now() + timedelta(hours=self.session_hours),
                )
            )
            s.commit()
        self._forget()

    def user_for(self, token: str | None) -> User | None:
        if not token:
            return None
        digest = token_digest(token)
        hit = self._seen.get(digest)
        if hit is not None and time.monotonic() - hit[0] < SESSION_CACHE_SECONDS:
            return hit[1]
        with self.session() as s:
            row = s.get(WebSession, digest)
            user = None if row is None or row.expires_at < now() else s.get(User, row.user_id)
        if len(self._seen) > 10_000:
            self._seen.clear()
        self._seen[digest] = (time.monotonic(), user)
        return user

    def cached_user(self, token: str) -> User | None | bool:
        """The user of a recently checked token, or ``False`` when it must be looked up."""
        hit = self._seen.get(token_digest(token))
        if hit is not None and time.monotonic() - hit[0] < SESSION_CACHE_SECONDS:
            return hit[1]
        return False

    def _forget(self) -> None:
        self._seen.clear()

    def close_session(self, token: str | None) -> None:
        if not token:
            return
        with self.session() as s:
            s.execute(delete(WebSession).where(WebSession.digest == token_digest(token)))
            s.commit()
        self._forget()

    # ---- screening configurations -----------------------------------------------------------
    def configs_version(self) -> tuple[int, int]:
        """A number that rises at every configuration save, in whatever process: (count, sum of
        versions). A save adds a configuration (count + 1) or raises its version (sum + 1), and
        configurations are never deleted, so equal pairs mean the same saved state (one query)."""
        # a Core connection (the screening pages ask on every request): a third of an ORM session's CPU
        with self.engine.connect() as conn:
            count, total = conn.execute(_CONFIGS_VERSION).one()
        return int(count), int(total)

    def configs(self) -> list[dict]:
        with self.session() as s:
            return [
                c.as_dict()
                for c in s.scalars(select(ScreeningConfig).order_by(ScreeningConfig.name))
            ]

    def config(self, name: str) -> dict | None:
        with self.session() as s:
            c = s.scalar(select(ScreeningConfig).where(ScreeningConfig.name == name))
            return c.as_dict() if c else None

    def save_config(
        self, name: str, body: dict, *, by: str, expected_version: int | None = None
    ) -> dict:
        """Create configuration ``name`` (``expected_version`` None or 0) or replace it when
        ``expected_version`` is its current version; anything else raises :class:`StaleConfig`."""
        name = name.strip()
        if not name or len(name) > 120:
            raise ConfigError("a configuration needs a name of 1–120 characters", column="name")
        with self.session() as s:
            c = s.scalar(select(ScreeningConfig).where(ScreeningConfig.name == name))
            before = c.as_dict() if c else None
            if c is None:
                if expected_version:
                    raise StaleConfig(name, expected_version, None)
                c = ScreeningConfig(name=name, owner=by, body=json.dumps(body), version=1)
                s.add(c)
                try:
                    s.flush()
                except IntegrityError:  # created by someone else a moment ago
                    s.rollback()
                    raise StaleConfig(name, None, self.config(name)) from None
            else:
                if expected_version != c.version:
                    raise StaleConfig(name, expected_version, before)
                # compare-and-set: a save that committed since the read above changes no row
                done = s.execute(
                    update(ScreeningConfig)
                    .where(ScreeningConfig.id == c.id, ScreeningConfig.version == expected_version)
                    .values(body=json.dumps(body), version=expected_version + 1, updated_at=now())
                )
                if done.rowcount != 1:
                    s.rollback()
                    raise StaleConfig(name, expected_version, self.config(name))
                s.refresh(c)
            after = c.as_dict()
            self._audit(s, by, "screening.save", name, before, after)
            s.commit()
            return after

    # ---- audit ------------------------------------------------------------------------------
    def _audit(self, s: Session, by: str, action: str, target: str, before, after) -> None:
        s.add(
            Audit(
                username=by,
                action=action,
                target=target,
                before=json.dumps(before, default=str),
                after=json.dumps(after, default=str),
            )
        )

    def audit(self, limit: int = 500) -> list[dict]:
        with self.session() as s:
            rows = s.scalars(select(Audit).order_by(Audit.id.desc()).limit(limit))
            return [r.as_dict() for r in rows]


def _check_user(username: str, password: str, role: str) -> None:
    if (
        not username
        or len(username) > 80
        or not username.replace("-", "")
        .replace(".", "")
        .replace("_", "")
        .replace("@", "")
        .isalnum()
    ):
        raise ConfigError(
            "user names are 1–80 letters, digits, '.', '-', '_' or '@'", column="username"
        )
    if role not in ROLES:
        raise ConfigError(f"unknown role '{role}' (choose from {', '.join(ROLES)})", column="role")
    if len(password) < 10:
        raise ConfigError("passwords need at least 10 characters", column="password")


_DUMMY_HASH = hash_password("not-a-real-password")
