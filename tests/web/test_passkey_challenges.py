"""Passkey answers are accepted once, and failed passkeys count towards the sign-in lockout.

The passkey here is a software one: a real P-256 key that signs real WebAuthn assertions (as a
phone's synced passkey does, it reports a signature count of 0, so the count can't stop a
replay). The browser side is tested in Chromium in tests/browser/test_passkeys_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Passkey, User
from schoolsafe.services.staff import sign_in as staff_auth
from schoolsafe.vocab import AuditAction
from tests.factories import PASSWORD

RP_ID = "localhost"  # the test app's BASE_URL is http://localhost
ORIGIN = "http://localhost"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class SoftPasskey:
    """A passkey held in software: its private key signs what an authenticator would."""

    key: ec.EllipticCurvePrivateKey
    credential_id: bytes

    @classmethod
    def for_user(cls, user: User) -> SoftPasskey:
        made = cls(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))
        numbers = made.key.public_key().public_numbers()
        cose = cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"),
                            -3: numbers.y.to_bytes(32, "big")})
        db.session.add(Passkey(user=user, credential_id=made.credential_id, public_key=cose,
                               sign_count=0, name="Phone"))
        db.session.commit()
        return made

    def answer(self, challenge: str, signer: ec.EllipticCurvePrivateKey | None = None) -> dict:
        """The credential a browser would send for this challenge (signed by `signer`, to make
        a wrong answer, when given)."""
        client_data = json.dumps({"type": "webauthn.get", "challenge": challenge,
                                  "origin": ORIGIN, "crossOrigin": False}).encode()
        # rp id hash, flags (user present and verified), signature count 0
        authenticator_data = (hashlib.sha256(RP_ID.encode()).digest() + bytes([0x05])
                              + (0).to_bytes(4, "big"))
        signature = (signer or self.key).sign(
            authenticator_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {"id": b64(self.credential_id), "rawId": b64(self.credential_id),
                "type": "public-key", "clientExtensionResults": {},
                "response": {"clientDataJSON": b64(client_data),
                             "authenticatorData": b64(authenticator_data),
                             "signature": b64(signature)}}


def challenge(client) -> str:
    response = client.post("/staff/passkeys/sign-in/options")
    assert response.status_code == 200
    return response.get_json()["challenge"]


def use(client, credential: dict):
    return client.post("/staff/passkeys/sign-in", json={"credential": credential})


def signed_in(client) -> bool:
    return client.get("/staff/account").status_code == 200


@pytest.fixture
def member(make):
    return make.user(make.school(), "staff")


def test_a_passkey_signs_in_but_an_old_cookie_replayed_with_the_same_answer_does_not(
        app, client, make, member):
    passkey = SoftPasskey.for_user(member)
    answer = passkey.answer(challenge(client))
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    old_cookie = client.get_cookie(cookie_name).value  # holds the challenge, before the answer
    assert use(client, answer).status_code == 200
    assert signed_in(client)

    replaying = app.test_client()
    replaying.set_cookie(cookie_name, old_cookie, domain="localhost")
    response = use(replaying, answer)
    assert response.status_code == 400
    assert "couldn't be checked" in response.get_json()["error"]
    assert not signed_in(replaying)


def test_failed_passkeys_count_towards_the_lockout(client, member):
    passkey = SoftPasskey.for_user(member)
    stranger = ec.generate_private_key(ec.SECP256R1())
    for _ in range(staff_auth.MAX_FAILURES):
        response = use(client, passkey.answer(challenge(client), signer=stranger))
        assert response.status_code == 400
    assert "paused for 15 minutes" in response.get_json()["error"]
    # Locked now: the right passkey and the right password both wait.
    response = use(client, passkey.answer(challenge(client)))
    assert "paused for 15 minutes" in response.get_json()["error"]
    assert not signed_in(client)
    response = client.post("/staff/sign-in", data={"email": member.email, "password": PASSWORD})
    assert "paused for 15 minutes" in response.get_data(as_text=True)
    assert db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.user_id == member.id)).all().count(AuditAction.REFUSED_PASSKEY) >= 5


def test_a_failed_passkey_as_the_second_step_counts_too(client, make):
    dsl = make.user(make.school(), "dsl")
    passkey = SoftPasskey.for_user(dsl)
    stranger = ec.generate_private_key(ec.SECP256R1())
    client.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD})
    for _ in range(staff_auth.MAX_FAILURES):
        use(client, passkey.answer(challenge(client), signer=stranger))
    db.session.refresh(dsl)
    assert staff_auth.is_locked(dsl)
