"""`pledgewall status`: what the store holds, for people and for scripts."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kiosk.commands.options import data_dir_option
from kiosk.paths import data_dir as resolve_data_dir


def store_status(target: Path) -> dict[str, object]:
    from sqlalchemy import func, select

    from kiosk.store.db import open_engine, read_meta
    from kiosk.store.models import Member, Pledge, SyncRecord, Village

    engine = open_engine(target)
    try:
        meta = read_meta(engine)
        with engine.connect() as conn:
            count = lambda model: conn.execute(select(func.count()).select_from(model)).scalar_one()  # noqa: E731
            last_sync = conn.execute(
                select(SyncRecord).order_by(SyncRecord.id.desc()).limit(1)
            ).one_or_none()
            return {
                "data_dir": str(target),
                "villages": count(Village),
                "members": count(Member),
                "pledges": count(Pledge),
                "village_codes": list(conn.execute(select(Village.code).order_by(Village.id)).scalars()),
                "schema_version": int(meta.get("schema_version", "0")),
                "data_version": int(meta.get("data_version", "0")),
                "last_update": meta.get("updated_at"),
                "last_sync": None
                if last_sync is None
                else {
                    "bundle_id": last_sync.bundle_id,
                    "version": last_sync.version,
                    "outcome": last_sync.outcome,
                    "at": last_sync.applied_at.isoformat(timespec="seconds"),
                },
            }
    finally:
        engine.dispose()


@click.command()
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def status(data_dir: Path | None, as_json: bool) -> None:
    """Counts, data version and last update of the kiosk's store."""
    facts = store_status(resolve_data_dir(data_dir))
    if as_json:
        click.echo(json.dumps(facts, ensure_ascii=False, indent=2))
        return
    click.echo(f"数据目录 {facts['data_dir']}")
    click.echo(f"村 {facts['villages']} 个，党员 {facts['members']} 名，承诺 {facts['pledges']} 条")
    click.echo(f"数据版本 {facts['data_version']}，最后更新 {facts['last_update'] or '从未'}")


COMMANDS = [status]
