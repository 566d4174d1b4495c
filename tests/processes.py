"""Stopping a command started by a test the way a person does: Ctrl-C, then kill if it hangs."""

from __future__ import annotations

import signal
import subprocess


def interrupt(process: subprocess.Popen[str], timeout: float = 15) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
