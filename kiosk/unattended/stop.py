"""Stop requests from the system (SIGTERM: `systemctl stop`, shutdown, the Windows launcher).

Installed before the display opens: SDL turns SIGTERM into a window-close event — which a
locked kiosk rightly ignores — but only when nobody has claimed the signal yet.
"""

from __future__ import annotations

import signal
import threading

requested = threading.Event()


def install() -> None:
    """Call from the main thread, as early as possible."""
    signal.signal(signal.SIGTERM, lambda _signum, _frame: requested.set())
