"""The demo's second factor: `dsb` and `admin` come with an authenticator app already set up.

The secrets are fixed and published (README, ``seed_demo --print-logins``), like the demo
password, so that the code step can be tried with any authenticator app and the browser tests
compute their codes. Demo data only: never load the demo city into a real installation.
"""

from __future__ import annotations

import base64

from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.accounts.models import User

# Base32, as authenticator apps take them (20 bytes each). Published demo secrets, not secrets.
DEMO_TOTP_SECRETS: dict[str, str] = {
    "dsb": "LOTSEDEMODSBZWEITERFAKTORDSB2345",
    "admin": "LOTSEDEMOADMINZWEITERFAKTOR23456",
}
DEMO_DEVICE_NAME = "Demo-App"


def demo_totp_key_hex(username: str) -> str:
    return base64.b32decode(DEMO_TOTP_SECRETS[username]).hex()


def demo_second_factor_ensure(user: User) -> bool:
    """Give a demo account with a demo secret its app, once; True if it was created now."""
    if user.username not in DEMO_TOTP_SECRETS:
        return False
    _, created = TOTPDevice.objects.get_or_create(
        user=user,
        name=DEMO_DEVICE_NAME,
        defaults={"key": demo_totp_key_hex(user.username), "confirmed": True},
    )
    return bool(created)


def demo_totp_uri(username: str) -> str:
    """The otpauth:// URI of a demo account's app (what its QR code would hold)."""
    user = User(username=username)
    return str(TOTPDevice(user=user, key=demo_totp_key_hex(username)).config_url)
