"""Demo sign-ins: one persona per role, each with a password generated at
build time, shown once and kept in a file only its owner can read.

There is never a fixed or default password: two demo builds never share one.
"""

from __future__ import annotations

import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone

from wardkeeper.core import audit
from wardkeeper.core.models import User
from wardkeeper.core.models.audit import AuditSource
from wardkeeper.core.roles import BY_CODE, MFA_ROLES
from wardkeeper.inventory.demo.writer import MESSAGE

# (username, role, display name): each holds exactly one role, so no account
# holds two of the separated administrator duties.
PERSONAS = (
    ("hana.hw", "hardware_engineer", "Hana Wang"),
    ("nick.net", "network_engineer", "Nick Zhang"),
    ("dan.dba", "database_engineer", "Dan Liu"),
    ("sid.sec", "security_engineer", "Sid Chen"),
    ("amy.apps", "application_coordinator", "Amy Zhao"),
    ("tina.train", "training_engineer", "Tina Huang"),
    ("dina.dict", "dictionary_engineer", "Dina Zhou"),
    ("ana.analyst", "analyst", "Ana Wu"),
    ("will.web", "web_maintainer", "Will Xu"),
    ("dora.director", "it_director", "Dora Sun"),
    ("nora.nurse", "clinical_reporter", "Nora Li"),
    ("sam.sysadmin", "system_admin", "Sam Hu"),
    ("sean.secadmin", "security_admin", "Sean Zhu"),
    ("ada.auditadmin", "audit_admin", "Ada Gao"),
)
# No look-alike characters (0/O, 1/l/I) in passwords read off a screen.
_LOWER = "abcdefghijkmnpqrstuvwxyz"
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    display_name: str
    password: str

    @property
    def needs_mfa(self) -> bool:
        return self.role in MFA_ROLES


def new_password() -> str:
    """Three groups of four, mixing every character class: ``kR7p-Xm3a-Qz9t``."""
    alphabet = _LOWER + _UPPER + _DIGITS
    while True:
        groups = ["".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3)]
        password = "-".join(groups)
        if (
            any(ch in _LOWER for ch in password)
            and any(ch in _UPPER for ch in password)
            and any(ch in _DIGITS for ch in password)
        ):
            return password


def create_accounts() -> list[DemoAccount]:
    """The persona accounts that do not exist yet, with fresh passwords."""
    taken = set(
        User.objects.filter(username__in=[p[0] for p in PERSONAS]).values_list(
            "username", flat=True
        )
    )
    wanted = [persona for persona in PERSONAS if persona[0] not in taken]
    passwords = [new_password() for _ in wanted]
    # Each hash costs most of a second by design; hashlib releases the GIL, so
    # threads hash them side by side.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        hashes = list(pool.map(make_password, passwords))
    groups = {group.name: group for group in Group.objects.all()}
    # Saving a user and setting its roles are audited by the core signals;
    # the context marks those entries as the demo's.
    with audit.audit_context(source=AuditSource.SYSTEM, reason=MESSAGE):
        for (username, role, display_name), password, hashed in zip(
            wanted, passwords, hashes, strict=True
        ):
            first, last = display_name.split(" ", 1)
            user = User(
                username=username,
                display_name=display_name,
                first_name=first,
                last_name=last,
                email=f"{username}@hospital.example",
                password=hashed,
                password_changed_at=timezone.now(),
            )
            validate_password(password, user)
            user.save()
            user.groups.set([groups[role]])
    return [
        DemoAccount(username, role, display_name, password)
        for (username, role, display_name), password in zip(
            wanted, passwords, strict=True
        )
    ]


def sign_in_table(accounts: list[DemoAccount], *, passwords: bool) -> str:
    """The accounts as a plain-text table (with or without their passwords)."""
    rows = [["username", "password", "role"] if passwords else ["username", "role"]]
    for account in accounts:
        label = str(BY_CODE[account.role].label)
        if account.needs_mfa:
            label += " (enrols an authenticator app at first sign-in)"
        row = [account.username, account.password, label]
        rows.append(row if passwords else [row[0], row[2]])
    width = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width[i]) for i, cell in enumerate(row)).rstrip()
        for row in rows
    )


def write_accounts_file(path: Path, accounts: list[DemoAccount], site: str) -> None:
    """Keep the sign-ins where only this machine's owner can read them (0600)."""
    text = (
        f"Wardkeeper demo sign-ins for {site}\n"
        "Generated when the demo hospital was built; shown once on screen.\n\n"
        f"{sign_in_table(accounts, passwords=True)}\n"
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(text)


def persona_accounts() -> list[DemoAccount]:
    """The persona accounts present, without passwords (for later runs)."""
    present = set(
        User.objects.filter(username__in=[p[0] for p in PERSONAS]).values_list(
            "username", flat=True
        )
    )
    return [
        DemoAccount(username, role, name, "")
        for username, role, name in PERSONAS
        if username in present
    ]
