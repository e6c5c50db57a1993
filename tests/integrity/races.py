"""Real races: N threads, each with its own test client and database connection, released
together by a barrier. Used with `transaction=True` tests, so on PostgreSQL they meet
the same locks and isolation as production requests (no wrapping test transaction)."""

import threading

from django.db import connection
from django.test import Client


def race(user, count, send):
    """Run `send(client, i)` in `count` threads at once; return their results in order of i."""
    barrier = threading.Barrier(count)
    results = [None] * count
    errors = []

    def run(i):
        client = Client()
        client.force_login(user)
        try:
            barrier.wait(timeout=30)
            results[i] = send(client, i)
        except BaseException as exc:  # re-raised in the test thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a racing request never finished"
    if errors:
        raise errors[0]
    return results


def form_data(response, form_key="form"):
    """The values an edit page's form carries, as the browser would post them back."""
    form = response.context[form_key]
    data = {}
    for bound in form:
        value = bound.value()
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        else:
            data[bound.html_name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return data
