"""`pledgewall` command line: thin commands over the library; errors become one clear line."""

from __future__ import annotations

import logging
import sys

import click

from kiosk import __version__
from kiosk.errors import PledgeWallError

log = logging.getLogger("kiosk")


class _Group(click.Group):
    """Turns library errors into one line, and anything unexpected into one line plus a log."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except PledgeWallError as error:
            click.echo(f"错误：{error}", err=True)
            ctx.exit(error.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            ctx.exit(130)
        except Exception as error:  # noqa: BLE001 - the one place where no traceback may pass
            log.exception("unexpected error")
            click.echo(f"内部错误（internal error）：{type(error).__name__}: {error}", err=True)
            ctx.exit(70)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pledgewall")
def main() -> None:
    """Pledge Wall (党员承诺公示屏): the village noticeboard of Party members' pledges."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def _register() -> None:
    """Every module in kiosk.commands that has a COMMANDS list adds its commands."""
    import importlib
    import pkgutil

    import kiosk.commands

    for info in sorted(pkgutil.iter_modules(kiosk.commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"kiosk.commands.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            main.add_command(command)


_register()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
