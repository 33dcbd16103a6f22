"""`pledgewall import`: check a roster, and when it has no errors store it with its photos."""

from __future__ import annotations

from pathlib import Path

import click

from kiosk.commands.options import data_dir_option, db_option
from kiosk.commands.roster import lang_option, photo_progress, photos_option, print_problems
from kiosk.paths import data_dir as resolve_data_dir


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@photos_option
@data_dir_option
@db_option
@lang_option
def import_(file: Path, photos_dir: Path | None, data_dir: Path | None, db_url: str | None, lang: str) -> None:
    """Check FILE (or a folder with one workbook per village) and import it: replaces each
    village it carries, in one transaction."""
    from kiosk.ingest.importer import check_roster, import_roster

    target = resolve_data_dir(data_dir)
    # Check first so the progress bar (if any) knows how many photos there are.
    found = check_roster(file, photos_dir, lang=lang)
    bar = photo_progress(len(set(found.photo_sources.values())), lang) if found.ok else None
    if bar is None:
        result = import_roster(file, target, photos_dir, lang=lang, checked=found, db=db_url)
    else:
        with bar:
            result = import_roster(file, target, photos_dir, lang=lang, checked=found, db=db_url,
                                   progress=lambda *a: bar.update(1))
    print_problems(file, result.check.problems, lang)
    if result.counts is None:
        click.echo("有错误，未导入；数据没有改动。请改正后重新导入。" if lang == "zh"
                   else "Not imported because of errors; the data is unchanged.")
        raise click.exceptions.Exit(1)
    c = result.counts
    if lang == "en":
        click.echo(f"Imported {c.villages} villages, {c.members} members, {c.pledges} pledges, "
                   f"{result.photos} photos into {target}")
    else:
        click.echo(f"已导入 {c.villages} 个村，党员 {c.members} 名，承诺 {c.pledges} 条，照片 {result.photos} 张 → {target}")


COMMANDS = [import_]
