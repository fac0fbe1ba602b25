"""A hang fails fast with a traceback instead of running into ctest's 900 s limit.

Every test gets ASTRA_PYTEST_TIMEOUT_S seconds (default 300). With pytest-timeout (Debian
python3-pytest-timeout; ctest passes --timeout) that plugin enforces it, by its thread method:
it dumps every thread's stack and ends the run, which works even while the main thread sits in
the engine's C++ code. Without the plugin, faulthandler does the same: it prints every thread's
traceback and exits when a test overruns.
"""
import faulthandler
import os
import sys

import pytest

TIMEOUT_S = float(os.environ.get("ASTRA_PYTEST_TIMEOUT_S", "300"))


def _plugin_enforces(config):
    return config.pluginmanager.hasplugin("timeout") and bool(config.getoption("timeout", default=None))


@pytest.fixture(autouse=True)
def _fail_a_hang_fast(request):
    if _plugin_enforces(request.config) or TIMEOUT_S <= 0:
        yield
        return
    faulthandler.dump_traceback_later(TIMEOUT_S, exit=True, file=sys.stderr)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
