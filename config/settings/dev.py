"""Local development: debug on, a fixed throwaway key, demo accounts allowed."""

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz")
ALLOW_DEMO_USERS = True

# Without EMAIL_URL, development prints outgoing mail on the worker's console.
if not env("EMAIL_URL") and not env("EMAIL_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
