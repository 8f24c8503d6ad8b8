"""Where the system Chromium is: the slide PDFs, the book's PDF and the browser tests use it.

Playwright cannot download its own browser here (no network at run time), so everything
that prints or tests pages drives Debian's ``chromium``. ``make test`` and ``make book``
install it when it is missing and they run as root with apt-get.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

#: Chromium without its own traffic (updates, sync, QUIC): pages and prints must not need a
#: network. The browser tests serve the site on 127.0.0.1 with these flags.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
#: For printing from files (the PDFs): no host name resolves either.
OFFLINE_FLAGS = [*CHROMIUM_FLAGS, "--host-resolver-rules=MAP * ~NOTFOUND"]


def chromium_path(purpose: str = "this command") -> str:
    """``$CHROMIUM``, else ``chromium`` on the PATH, else /usr/bin/chromium, if it exists.

    Otherwise a ``FileNotFoundError`` that says what needs it and how to install it.
    """
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise FileNotFoundError(
            f"{purpose} needs Chromium, and there is none at {path}: install Debian's "
            "`chromium` (sudo apt-get install chromium; `make book` and `make test` do it "
            "when they run as root) or set CHROMIUM=/path/to/chromium (Chrome works too)"
        )
    return path
