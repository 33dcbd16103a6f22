"""`pledgewall export`: the store as an Excel roster (the template's format) for the township."""

from __future__ import annotations

from pathlib import Path

import click

from kiosk.commands.options import data_dir_option, db_option
from kiosk.paths import data_dir as resolve_data_dir


@click.command()
@data_dir_option
@db_option
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="FILE.xlsx to write.")
@click.option("--photos-out", type=click.Path(file_okay=False, path_type=Path),
              help="Also copy each member's photo here as <number>.jpg (import finds them by name).")
@click.option("--village", help="Only this village (default: every village in the store).")
def export(data_dir: Path | None, db_url: str | None, out: Path, photos_out: Path | None, village: str | None) -> None:
    """Write the roster, statuses, evaluations, feedback and notices back to Excel."""
    from kiosk.errors import PledgeWallError
    from kiosk.export import export_roster
    from kiosk.store.db import open_engine
    from kiosk.store.photos import PhotoStore
    from kiosk.store.read import read_roster

    if out.suffix.lower() != ".xlsx":
        raise PledgeWallError(f"导出文件应以 .xlsx 结尾：{out.name}")
    directory = resolve_data_dir(data_dir)
    engine = open_engine(db_url or directory, create=False)
    try:
        roster = read_roster(engine, [village] if village else None)
    finally:
        engine.dispose()
    if not roster.villages:
        raise PledgeWallError(f"数据库里没有村 {village}" if village else "数据库里还没有任何村的数据")
    copied = export_roster(roster, out, photos=PhotoStore(directory / "photos"), photos_out=photos_out)
    members = sum(len(v.members) for v in roster.villages)
    pledges = sum(len(v.pledges) for v in roster.villages)
    click.echo(f"已导出 {len(roster.villages)} 个村，党员 {members} 名，承诺 {pledges} 条 → {out}"
               + (f"；照片 {copied} 张 → {photos_out}" if photos_out else ""))


COMMANDS = [export]
