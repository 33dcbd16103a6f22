"""`pledgewall feedback import`: villagers' answers from the online form → counts and 满意率."""

from __future__ import annotations

from pathlib import Path

import click

from kiosk.commands.options import data_dir_option, db_option
from kiosk.commands.roster import print_problems
from kiosk.paths import data_dir as resolve_data_dir


@click.group()
def feedback() -> None:
    """Feedback results from the QR code's online form."""


@feedback.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@data_dir_option
@db_option
@click.option("--period", help="Period name, e.g. 2026年第四季度 (default: the quarter of the latest answer).")
@click.option("--source", default="扫码评价", show_default=True, help="Where the answers came from (shown nowhere but kept).")
def import_feedback(file: Path, data_dir: Path | None, db_url: str | None, period: str | None, source: str) -> None:
    """Count FILE's answers per member and pledge (duplicates once; comments never stored)."""
    from kiosk.ingest.feedback import read_feedback
    from kiosk.ingest.problems import Problem, Severity
    from kiosk.store.db import open_engine
    from kiosk.store.feedback import store_feedback

    read = read_feedback(file)
    problems = list(read.problems)
    if any(p.severity == Severity.ERROR for p in problems):
        print_problems(file, problems, "zh")
        raise click.exceptions.Exit(1)
    engine = open_engine(db_url or resolve_data_dir(data_dir), create=False)
    try:
        stored = store_feedback(engine, read.answers, period or read.period, source=source)
    finally:
        engine.dispose()
    problems += [Problem(Severity.WARNING, answer.location, "feedback.unknown_member",
                         f"编号“{answer.member_number}”不是已导入的党员，这条评价未计入",
                         f"member id “{answer.member_number}” is not in the store; not counted")
                 for answer in stored.unknown]
    print_problems(file, problems, "zh")
    click.echo(f"已导入 {period or read.period} 的评价 {stored.answers} 条（党员 {stored.members} 名）；"
               f"重复提交 {read.duplicates} 条只计一次；留言不保存")


COMMANDS = [feedback]
