"""Pledge Wall (党员承诺公示屏): an offline kiosk for Party members' public pledges."""

__version__ = "0.1.0"
