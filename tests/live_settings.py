"""Settings of the project when a test serves it with gunicorn: the test settings, throttles out of the way.

The test's clients all come from 127.0.0.1 and would share one anonymous throttle.
"""

from config.settings.test import *  # noqa: F403

API_THROTTLE_RATES = {"anon": "1000000/minute", "token": "1000000/minute"}
