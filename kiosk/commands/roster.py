"""`pledgewall roster template|check`: the Excel template, and checking a roster before import."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kiosk.ingest.problems import Problem, Severity, summary

lang_option = click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
    help="Language of the problem messages.",
)
photos_option = click.option(
    "--photos", "photos_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Folder of member photos (file stem = member number, or the name in the 照片 column).",
)


def print_problems(path: Path, problems: tuple[Problem, ...] | list[Problem], lang: str) -> None:
    """One line per problem with its place, then the summary line."""
    click.echo(f"{'Checking' if lang == 'en' else '检查'} {path}")
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}
    for problem in sorted(problems, key=lambda p: order[p.severity]):
        click.echo(f"{problem.severity.label(lang)} {problem.format(lang)}")
    click.echo(summary(problems, lang))


def photo_progress(total: int, lang: str):  # type: ignore[no-untyped-def]
    """A click progress bar for more than a handful of photos, else nothing."""
    if total <= 8:
        return None
    return click.progressbar(length=total, label="处理照片" if lang == "zh" else "Photos", file=sys.stderr)


@click.group()
def roster() -> None:
    """Roster files: write the Excel template, check a filled-in roster."""


@roster.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def template(file: Path) -> None:
    """Write the Excel template (sheets, headers, an example row, drop-downs) to FILE.xlsx."""
    from kiosk.ingest.template import write_template

    write_template(file)
    click.echo(f"已写入模板 {file}")


@roster.command()
@click.argument("file", type=click.Path(path_type=Path))
@photos_option
@lang_option
def check(file: Path, photos_dir: Path | None, lang: str) -> None:
    """Check FILE (xlsx/xls/ods/csv, or a folder with one per village): print every problem
    with its place; exit 1 on errors."""
    from kiosk.ingest.importer import check_photos, check_roster

    result = check_roster(file, photos_dir, lang=lang)
    if photos_dir is not None and result.photo_sources:
        bar = photo_progress(len(set(result.photo_sources.values())), lang)
        if bar is None:
            result, _photos = check_photos(result)
        else:
            with bar:
                result, _photos = check_photos(result, progress=lambda *a: bar.update(1))
    print_problems(file, result.problems, lang)
    if result.errors:
        raise click.exceptions.Exit(1)


COMMANDS = [roster]
