"""Tests: SQLite by default, PostgreSQL when DATABASE_URL is set; fast hashing."""

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
SECRET_KEY = "test-only-key-0123456789abcdefghijklmnopqrstuvwxyz-0123456789"
ALLOWED_HOSTS = ["*"]
ALLOW_DEMO_USERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
LANGUAGE_CODE = "en"
# A change shows on kept answers at once (tests change the database and read the next page straight away).
PUBLIC_CACHE_SYNC_SECONDS = 0
