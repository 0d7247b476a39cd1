"""Peak resident memory of this process alone."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_rss_mb() -> float:
    """The high-water mark of this process's resident set, in MB.

    Linux's VmHWM belongs to the address space, so it starts afresh at exec. `ru_maxrss` does not:
    it survives execve, so a child started by a large parent reported the parent's size (the bot
    "used" 167 MB at 1M films because the suite's own process did when it forked).
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux
