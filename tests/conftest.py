"""Suite-wide set-up shared by every test directory."""

from __future__ import annotations

import signal


def pytest_configure(config: object) -> None:
    """Let the programs the tests start be interrupted by Ctrl-C.

    A shell starts a background job (`cmd &`) with SIGINT ignored, and an ignored signal
    stays ignored across fork and exec: pytest, its xdist workers and every `ruchy-opt`
    a test starts would inherit it, Python would then install no KeyboardInterrupt
    handler, and the Ctrl-C tests would send SIGINT to a child that never stops. A
    handled signal is reset to the default on exec, so installing Python's own handler
    here gives the children the disposition a terminal user's program has.
    """
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
