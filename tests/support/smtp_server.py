"""An in-process SMTP server for tests (aiosmtpd in a thread), with optional STARTTLS and AUTH."""

from __future__ import annotations

import email
import email.policy
import ssl
import subprocess
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from tests.support.processes import (
    LOOPBACK,
    find_binary,
    forget_cleanup,
    free_port,
    port_is_free,
    register_cleanup,
    wait_until,
)

CERT_NAME = "localhost"


@dataclass(frozen=True)
class Envelope:
    """What the client said in MAIL FROM / RCPT TO, which the parsed message does not keep."""

    mail_from: str
    rcpt_tos: tuple[str, ...]


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """Write a self-signed certificate for localhost and 127.0.0.1; return (cert, key)."""
    openssl = find_binary("openssl")
    if openssl is None:
        raise RuntimeError("the openssl CLI is not installed (scripts/install-system-deps.sh)")
    cert, key = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    # An EC key is generated in milliseconds; the IP SAN lets clients verify 127.0.0.1.
    subprocess.run(  # noqa: S603 - fixed argument list
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", f"/CN={CERT_NAME}", "-keyout", str(key), "-out",
         str(cert), "-addext", f"subjectAltName=DNS:{CERT_NAME},IP:{LOOPBACK}"],
        check=True, capture_output=True,
    )
    return cert, key


class _Recorder:
    """aiosmtpd handler: checks the login, parses each message and wakes up waiters."""

    def __init__(self, owner: SmtpServer) -> None:
        self.owner = owner

    async def handle_MAIL(self, server, session, envelope, address, mail_options) -> str:
        # Enforced here rather than with aiosmtpd's auth_required, which refuses plain-text
        # AUTH with a warning; this way AUTH works with and without TLS.
        if self.owner.username is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.owner._record(message, Envelope(envelope.mail_from, tuple(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> Any:
        """aiosmtpd authenticator: accept only the configured username and password."""
        from aiosmtpd.smtp import AuthResult, LoginPassword

        owner = self.owner
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == (owner.username or "").encode()
              and auth_data.password == (owner.password or "").encode())
        # handled=False: let aiosmtpd send its own 235/535 reply.
        return AuthResult(success=ok, handled=False)


class SmtpServer:
    """A restartable SMTP server on 127.0.0.1 that keeps every message it receives."""

    def __init__(self, base_dir: Path, *, tls: bool = False, username: str | None = None,
                 password: str | None = None, port: int | None = None) -> None:
        self.base_dir = Path(base_dir)
        self.host = LOOPBACK
        self.port = port or free_port()
        self.tls = tls
        self.username = username
        self.password = password
        self.cert_path: Path | None = None
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Envelope] = []
        self._arrived = threading.Condition()
        self._controller: Any = None
        self._tls_context: ssl.SSLContext | None = None

    @staticmethod
    def available(tls: bool = False) -> bool:
        """Tell whether aiosmtpd (and, for TLS, the openssl CLI) is installed."""
        try:
            import aiosmtpd  # noqa: F401
        except ImportError:
            return False
        return not tls or find_binary("openssl") is not None

    @property
    def running(self) -> bool:
        """Tell whether the server is listening."""
        return self._controller is not None

    def start(self) -> None:
        """Start listening on the port (the same one after a stop)."""
        if self.running:
            return
        from aiosmtpd.controller import Controller

        if not wait_until(lambda: port_is_free(self.port), timeout=10):
            raise RuntimeError(f"SMTP: port {self.port} is still taken")
        # aiosmtpd's event loop is closed by stop(), so each start needs a new controller.
        controller = Controller(_Recorder(self), **self._server_options())
        controller.start()
        self._controller = controller
        register_cleanup(self, self.stop)

    def stop(self) -> None:
        """Stop listening; received messages are kept."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        forget_cleanup(self)

    def restart(self) -> None:
        """Stop and start again on the same port."""
        self.stop()
        self.start()

    def client_tls_context(self) -> ssl.SSLContext:
        """Return a client context that trusts this server's self-signed certificate."""
        if self.cert_path is None:
            raise RuntimeError("this SMTP server was not started with tls=True")
        return ssl.create_default_context(cafile=str(self.cert_path))

    def wait_for(self, count: int = 1, timeout: float = 10) -> list[EmailMessage]:
        """Wait until at least count messages have arrived and return all of them."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.messages) >= count, timeout):
                raise TimeoutError(f"SMTP: expected {count} message(s) within {timeout}s, "
                                   f"got {len(self.messages)}")
            return list(self.messages)

    def clear(self) -> None:
        """Forget the messages received so far."""
        with self._arrived:
            self.messages.clear()
            self.envelopes.clear()

    def _record(self, message: EmailMessage, envelope: Envelope) -> None:
        with self._arrived:
            self.messages.append(message)
            self.envelopes.append(envelope)
            self._arrived.notify_all()

    def _server_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {
            "hostname": self.host, "port": self.port, "server_hostname": CERT_NAME,
        }
        if self.username is not None:
            options["authenticator"] = _Recorder(self).authenticate
            # With TLS, like production: AUTH is only offered after STARTTLS.
            options["auth_require_tls"] = self.tls
        if self.tls:
            options["tls_context"] = self._server_tls_context()
            options["require_starttls"] = True
        return options

    def _server_tls_context(self) -> ssl.SSLContext:
        if self._tls_context is None:
            self.base_dir.mkdir(parents=True, exist_ok=True)
            self.cert_path, key = make_certificate(self.base_dir)
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(self.cert_path, key)
            self._tls_context = context
        return self._tls_context
