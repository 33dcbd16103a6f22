"""Running without a technician: start on boot, restart on crash, feed the watchdog, switch the
screen off outside opening hours, move pixels against burn-in, keep logs bounded."""
