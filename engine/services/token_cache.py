"""A few seconds' memory of which user an API token belongs to, so that a busy client's
requests cost no query each. Bounded (oldest entries go first) and short-lived: a revoked
token, a deactivated user or a changed role is seen within `ttl_seconds` in every process,
and at once in the process that made the change (it forgets the user's entries)."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict

from engine.views import UserView


class TokenCache:
    def __init__(self, ttl_seconds: float = 5.0, max_entries: int = 1024):
        self.ttl_seconds, self.max_entries = ttl_seconds, max_entries
        self._entries: OrderedDict[str, tuple[float, UserView]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, digest: str) -> UserView | None:
        with self._lock:
            found = self._entries.get(digest)
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self._entries[digest]
                return None
            return found[1]

    def put(self, digest: str, user: UserView) -> None:
        with self._lock:
            self._entries[digest] = (time.monotonic() + self.ttl_seconds, user)
            self._entries.move_to_end(digest)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def forget(self, username: str | None = None, digest: str | None = None) -> None:
        with self._lock:
            for key in [k for k, (_, u) in self._entries.items() if k == digest or u.username == username]:
                del self._entries[key]
