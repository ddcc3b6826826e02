"""Pytest plugin (loaded with -p before Django starts): the tests run in demo mode.

Outside demo mode the settings refuse to start without real keys, which is what a
production deployment needs; the tests use the demo keys and the role switcher.
"""

import os

os.environ.setdefault("KLANTOCRATIE_DEMO", "1")
