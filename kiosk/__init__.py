"""Pledge Wall (党员承诺公示屏): an offline kiosk for Party members' public pledges."""

import os

# pygame prints a greeting on import; on a kiosk's console and in every command's output it is noise.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

__version__ = "0.1.0"
