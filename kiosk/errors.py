"""Errors meant for people: the message names the place and the fix; the CLI prints it as is."""


class PledgeWallError(Exception):
    """A problem the user can act on. `str(error)` is a complete sentence in Chinese."""

    exit_code = 1
