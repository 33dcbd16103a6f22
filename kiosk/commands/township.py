"""`pledgewall township status` and `pledgewall receipts import`: the township office's rollout view."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import click

from kiosk.commands.options import data_dir_option, db_option
from kiosk.paths import data_dir as resolve_data_dir


@click.group()
def township() -> None:
    """A township store holding many villages."""


@township.command()
@data_dir_option
@db_option
@click.option("--xlsx", "xlsx_out", type=click.Path(dir_okay=False, path_type=Path), help="Also write the table to this workbook.")
def status(data_dir: Path | None, db_url: str | None, xlsx_out: Path | None) -> None:
    """Each village: members, pledges, completion, last bundle made, last receipt from its kiosk."""
    from kiosk.store.db import open_engine
    from kiosk.sync.rollout import HEADERS, row_cells, rollout_rows

    engine = open_engine(db_url or resolve_data_dir(data_dir), create=False)
    try:
        rows = [row_cells(row) for row in rollout_rows(engine)]
    finally:
        engine.dispose()
    shown = [[str(cell) for cell in row[:-1]] for row in [list(HEADERS), *rows]]  # the long message only in xlsx
    widths = [max(_width(row[i]) for row in shown) for i in range(len(shown[0]))]
    for row in shown:
        click.echo("  ".join(_pad(cell, width) for cell, width in zip(row, widths)).rstrip())
    if xlsx_out is not None:
        _write_xlsx(xlsx_out, list(HEADERS), rows)
        click.echo(f"已写入 {xlsx_out}")


def _width(text: str) -> int:
    """Columns a terminal gives the text: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _write_xlsx(path: Path, headers: list[str], rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "推送情况"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for column, header in zip(sheet.columns, headers):
        sheet.column_dimensions[column[0].column_letter].width = max(10, _width(header) + 4)
    sheet.freeze_panes = "C2"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


@click.group()
def receipts() -> None:
    """Receipts kiosks wrote back onto USB sticks."""


@receipts.command("import")
@click.argument("usb_root", type=click.Path(file_okay=False, exists=True, path_type=Path))
@data_dir_option
@db_option
def import_receipts_command(usb_root: Path, data_dir: Path | None, db_url: str | None) -> None:
    """Read the receipts on a stick into the township store (reading one twice adds nothing)."""
    from kiosk.store.db import open_engine
    from kiosk.sync.rollout import import_receipts

    engine = open_engine(db_url or resolve_data_dir(data_dir))
    try:
        result = import_receipts(engine, usb_root)
    finally:
        engine.dispose()
    click.echo(f"新回执 {result.added} 份，已读过 {result.already} 份")
    for name in result.unreadable:
        click.echo(f"无法读取的回执文件：{name}", err=True)


COMMANDS = [township, receipts]
