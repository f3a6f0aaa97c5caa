"""bench-public's floor: the production settings, with one more route, `/bench-floor/page/`, in bench/floor_urls.py.

Used by `bench/bench_public.py` only: it measures the least a page answer with one database round trip costs
on this machine, next to what the release page costs.
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
