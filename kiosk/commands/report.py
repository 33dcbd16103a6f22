"""`pledgewall report`: the wall as a print-ready PDF (300 dpi) or one poster PNG."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kiosk.commands.options import data_dir_option
from kiosk.errors import PledgeWallError
from kiosk.paths import data_dir as resolve_data_dir

if TYPE_CHECKING:
    import pygame


def png_bytes(surface: pygame.Surface) -> bytes:
    """Lossless page image with its resolution recorded, so the PDF page gets the paper's size."""
    import pygame
    from PIL import Image

    from kiosk.render.printed import DPI

    image = Image.frombytes("RGB", surface.get_size(), pygame.image.tobytes(surface, "RGB"))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(DPI, DPI), optimize=False, compress_level=6)
    return buffer.getvalue()


@click.command()
@data_dir_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="wall.pdf (cover, cards, summary) or wall.png (one poster).")
@click.option("--paper", type=click.Choice(["A4", "A3"], case_sensitive=False), default="A4", show_default=True)
@click.option("--orientation", type=click.Choice(["portrait", "landscape"]), default="portrait", show_default=True)
@click.option("--village", help="Village code (default: the kiosk's village, else the first).")
def report(data_dir: Path | None, out: Path, paper: str, orientation: str, village: str | None) -> None:
    """Print the wall: PDF for the archive and villages without a screen, or a PNG poster."""
    # Imported here: `pledgewall --help` and the other commands should not pay for them.
    import img2pdf
    import pygame

    from kiosk.app.photos import PhotoLoader
    from kiosk.config import load_settings
    from kiosk.render.fonts import FontBook
    from kiosk.render.printed import DPI, Paper, print_pages, poster
    from kiosk.store.db import open_engine
    from kiosk.store.snapshot import load_snapshot

    directory = resolve_data_dir(data_dir)
    settings = load_settings(directory)
    engine = open_engine(directory, create=False)
    try:
        snapshot = load_snapshot(engine, village or settings.village or None)
    finally:
        engine.dispose()
    if snapshot.village is None:
        raise PledgeWallError("数据库里没有这个村的数据，先导入名册")
    sheet = Paper(paper.upper(), landscape=orientation == "landscape")
    pygame.font.init()
    fonts = FontBook.default()
    photos = PhotoLoader(directory / "photos").load
    now = datetime.now()
    out.parent.mkdir(parents=True, exist_ok=True)
    suffix = out.suffix.lower()
    if suffix == ".png":
        try:
            image = poster(snapshot, sheet, fonts, photos, printed=now)
        except ValueError as error:
            raise PledgeWallError(str(error)) from None
        out.write_bytes(png_bytes(image))
        click.echo(f"已写入海报 {out}（{image.get_width()}×{image.get_height()}，{DPI} dpi）")
        return
    if suffix != ".pdf":
        raise PledgeWallError(f"不知道怎样写 {out.name}：请用 .pdf 或 .png 结尾")
    pages = [png_bytes(page) for page in print_pages(snapshot, sheet, fonts, photos, printed=now)]
    temporary = out.with_name(out.name + ".part")
    temporary.write_bytes(img2pdf.convert(pages))
    temporary.replace(out)
    click.echo(f"已写入 {out}：{len(pages)} 页，{sheet.name} {'横向' if sheet.landscape else '纵向'}，{DPI} dpi")


COMMANDS = [report]
