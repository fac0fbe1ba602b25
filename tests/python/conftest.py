"""A hang fails fast with a traceback instead of running into ctest's 900 s limit.

Every test gets ASTRA_PYTEST_TIMEOUT_S seconds (default 300). With pytest-timeout (Debian
python3-pytest-timeout; ctest passes --timeout) that plugin enforces it by its thread method: it
prints every thread's stack and ends the run, which works while the main thread sits in the
engine's C++ code (long calls release the GIL). Without the plugin this file does the same: a
watchdog thread lifts pytest's output capture, prints every thread's stack and exits; should
the GIL never come free, faulthandler ends the process 30 s later all the same (its dump then
goes to the captured stderr, which is lost: the run still fails fast).
"""
import faulthandler
import os
import sys
import threading

import pytest

TIMEOUT_S = float(os.environ.get("ASTRA_PYTEST_TIMEOUT_S", "300"))


def _plugin_enforces(config):
    return config.pluginmanager.hasplugin("timeout") and bool(config.getoption("timeout", default=None))


def _time_out(config, name):
    capman = config.pluginmanager.getplugin("capturemanager")
    if capman is not None:
        capman.suspend_global_capture(in_=True)
    sys.stderr.write(f"\n+++ Timeout: {name} ran past {TIMEOUT_S:g} s (ASTRA_PYTEST_TIMEOUT_S); every thread's stack:\n")
    faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
    sys.stderr.flush()
    os._exit(1)


@pytest.fixture(autouse=True)
def _fail_a_hang_fast(request):
    if _plugin_enforces(request.config) or TIMEOUT_S <= 0:
        yield
        return
    watchdog = threading.Timer(TIMEOUT_S, _time_out, args=(request.config, request.node.nodeid))
    watchdog.daemon = True
    watchdog.start()
    faulthandler.dump_traceback_later(TIMEOUT_S + 30, exit=True)
    try:
        yield
    finally:
        watchdog.cancel()
        faulthandler.cancel_dump_traceback_later()
