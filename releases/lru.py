"""A process's most recently used items within a budget of bytes: what each worker keeps in its own memory.

    answers = SizedLRU("PUBLIC_CACHE_LOCAL_BYTES", 32 * 1024 * 1024)
    answers.put(key, item, size)      # drops the least recently used items until the rest fit
    answers.get(key)                  # the item, or None

The budget is read from the named setting at each `put`, so a changed setting applies at once; an item
larger than the whole budget is not kept. Thread-safe.
"""

from __future__ import annotations

import collections
import threading

from django.conf import settings


class SizedLRU:
    def __init__(self, setting: str, default: int):
        self.setting = setting
        self.default = default
        self.lock = threading.Lock()
        self.items: collections.OrderedDict[object, tuple[object, int]] = collections.OrderedDict()
        self.size = 0

    @property
    def budget(self) -> int:
        return int(getattr(settings, self.setting, self.default))

    def get(self, key):
        with self.lock:
            held = self.items.get(key)
            if held is None:
                return None
            self.items.move_to_end(key)
            return held[0]

    def put(self, key, item, size: int) -> None:
        budget = self.budget
        with self.lock:
            old = self.items.pop(key, None)
            if old is not None:
                self.size -= old[1]
            if size > budget:
                return
            self.items[key] = (item, size)
            self.size += size
            while self.size > budget:
                _key, (_item, dropped) = self.items.popitem(last=False)
                self.size -= dropped

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self.items)
