"""Opening the store: engine, SQLite pragmas, schema version, data version."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.errors import PledgeWallError
from kiosk.store.models import Base, Meta

SCHEMA_VERSION = 1
DB_FILENAME = "pledgewall.db"


class StoreError(PledgeWallError):
    """The store cannot be used as it is (newer schema, not a database, ...)."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit that returned survives a power cut (receipts must not lie).
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _scratch_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """A file being built to be copied (bundle data): one file, no fsync per commit."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=DELETE")
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


def database_url(target: str | Path) -> str:
    """A data directory, a .db file or a full SQLAlchemy URL, as a URL."""
    text = str(target)
    if "://" in text:
        return text
    path = Path(text)
    if path.suffix != ".db":
        path = path / DB_FILENAME
    return f"sqlite:///{path}"


def open_engine(target: str | Path, *, create: bool = True, scratch: bool = False) -> Engine:
    """Open (and if needed create) the store at a data dir, db file or URL.

    `scratch`: a SQLite file under construction whose durability the caller ensures once,
    when it is finished (an fsync of the whole file) — ten times faster to fill.
    """
    url = database_url(target)
    if url.startswith("sqlite:///"):
        db_path = Path(url.removeprefix("sqlite:///"))
        if not create and not db_path.exists():
            raise StoreError(f"没有找到数据库 {db_path}")
        db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _scratch_pragmas if scratch else _sqlite_pragmas)
    _ensure_schema(engine, create=create)
    return engine


def _ensure_schema(engine: Engine, *, create: bool) -> None:
    from sqlalchemy import inspect

    has_meta = inspect(engine).has_table("meta")
    if not has_meta:
        if not create:
            raise StoreError("数据库里没有党员承诺数据（缺少 meta 表）")
        Base.metadata.create_all(engine)
        with Session(engine) as session, session.begin():
            session.add(Meta(key="schema_version", value=str(SCHEMA_VERSION)))
            session.add(Meta(key="data_version", value="0"))
        return
    with Session(engine) as session:
        version = int(session.get(Meta, "schema_version").value)  # type: ignore[union-attr]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"数据库结构版本 {version} 比本程序支持的 {SCHEMA_VERSION} 新，请升级程序"
        )
    if create:
        Base.metadata.create_all(engine)  # tables added since the store was made (new tables only)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Session]:
    """One transaction that bumps the data version; all or nothing."""
    factory = sessionmaker(engine)
    with factory.begin() as session:
        yield session
        _bump_data_version(session)


def _bump_data_version(session: Session) -> None:
    row = session.get(Meta, "data_version")
    assert row is not None
    row.value = str(int(row.value) + 1)
    updated = session.get(Meta, "updated_at")
    stamp = datetime.now().isoformat(timespec="seconds")
    if updated is None:
        session.add(Meta(key="updated_at", value=stamp))
    else:
        updated.value = stamp


def read_meta(engine: Engine) -> dict[str, str]:
    with Session(engine) as session:
        return {row.key: row.value for row in session.scalars(select(Meta))}


def data_version(engine: Engine) -> int:
    """Cheap check the display loop polls to know when to reload its snapshot."""
    with engine.connect() as conn:
        value = conn.execute(select(Meta.value).where(Meta.key == "data_version")).scalar_one()
    return int(value)
