"""The one table the composition root owns: log-in failure counts (mobilise/auth.py)."""

from django.db import models


class LoginFailureCount(models.Model):
    """Failed (or in-flight) log-in attempts for one key: a hashed (username, address) pair or
    an address. A row is locked while it is counted, so parallel guesses are counted one by
    one; the cache could not do that (its incr is a read and a write)."""

    key = models.CharField(max_length=80, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    # Seconds since the epoch (time.time()) when the count lapses.
    until = models.FloatField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"
