"""Importable job functions for the jobs plugin's tests (rq needs a module path)."""
import time

from rq import get_current_job


def add(a, b):
    return a + b


def boom():
    raise RuntimeError("this job always fails")


def flaky(key):
    """Fails on its first run, succeeds afterwards (counts runs in Redis under `key`)."""
    runs = get_current_job().connection.incr(key)
    if runs == 1:
        raise RuntimeError("first run fails")
    return runs


def sleepy(seconds):
    time.sleep(seconds)
    return "woke up"
