"""A real OpenID Connect provider for the sign-in tests: Node's `oidc-provider` package,
started on loopback from tests/support/oidc/ (installed there by `npm ci`; see the Makefile).

The provider signs real ID tokens with its own key and publishes it; tests choose the accounts
it knows (with or without an MFA claim, switched off or not) and, through its /_control
address, the faults a real provider can show: a clock that is wrong (expired tokens), or an
ID token for another audience or signed with a key it never published.
Under CI=true a missing Node or package fails the run instead of skipping.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

from tests.support.processes import (
    LOOPBACK,
    ChildProcess,
    find_binary,
    free_port,
    require,
    wait_until,
)

HERE = Path(__file__).parent / "oidc"
NODE = find_binary("/usr/bin/node", "node", "nodejs")


def available() -> bool:
    """Whether Node and the installed provider package are here."""
    return NODE is not None and (HERE / "node_modules" / "oidc-provider").is_dir()


class OidcProvider:
    """The provider process: its issuer address, clients and accounts."""

    def __init__(self, folder: Path, clients: list[dict[str, Any]]) -> None:
        require("node with oidc-provider", available(),
                "apt-get install nodejs npm, then npm ci --prefix tests/support/oidc")
        self.port = free_port()
        self.issuer = f"http://{LOOPBACK}:{self.port}"
        self.settings = folder / "oidc-settings.json"
        self.settings.write_text(json.dumps({"port": self.port, "issuer": self.issuer,
                                             "clients": clients, "accounts": {}}))
        self.process = ChildProcess("oidc-provider", folder / "oidc-provider.log")

    def start(self) -> None:
        """Start it and wait until its discovery document answers."""
        self.process.start([NODE, str(HERE / "provider.mjs"), str(self.settings)], cwd=HERE)
        if not wait_until(self._answers, timeout=30):
            self.process.stop()
            raise self.process.failure("did not start")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(  # noqa: S310 - our own loopback address
                    self.issuer + "/.well-known/openid-configuration", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def rotate_keys(self) -> None:
        """Restart it on the same address: it signs with a new key under a new key id, as a
        provider does when it rotates its keys (its accounts and sessions start empty)."""
        self.process.stop()
        self.start()

    def control(self, **change: Any) -> None:
        """Change its accounts, clock skew (seconds) or ID token tampering for what follows."""
        request = urllib.request.Request(  # noqa: S310 - our own loopback address
            self.issuer + "/_control", data=json.dumps(change).encode(), method="POST",
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5):  # noqa: S310
            pass

    def reset(self) -> None:
        """Back to a right clock and honest tokens."""
        self.control(skew=0, tamper=None)

    def stop(self) -> None:
        """Stop the process."""
        self.process.stop()
