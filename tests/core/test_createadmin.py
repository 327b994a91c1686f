import io
import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from wardkeeper.core.models import AuditEntry, User


def run(*args, stdin=""):
    out = io.StringIO()
    import sys

    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("createadmin", *args, stdout=out)
    finally:
        sys.stdin = saved
    return out.getvalue()


@pytest.mark.django_db
def test_there_are_no_accounts_until_someone_creates_one():
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_creates_a_system_administrator_with_a_password_shown_once():
    output = run("li.admin", "--email", "li@hospital.example")
    password = re.search(r"^  (\S+)$", output, re.MULTILINE).group(1)
    user = User.objects.get(username="li.admin")
    assert user.check_password(password)
    validate_password(password, user)
    assert user.role_codes() == {"system_admin"}
    assert user.email == "li@hospital.example"
    assert not user.must_change_password
    entry = AuditEntry.objects.filter(object_id=str(user.pk), action="create").get()
    assert entry.source == "cli"


@pytest.mark.django_db
def test_it_takes_the_chosen_duty_and_a_password_from_stdin():
    output = run(
        "audit.wang",
        "--role",
        "audit_admin",
        "--password-stdin",
        stdin="Quiet-Ledger-2026\n",
    )
    user = User.objects.get(username="audit.wang")
    assert user.role_codes() == {"audit_admin"}
    assert user.check_password("Quiet-Ledger-2026")
    assert "Quiet-Ledger-2026" not in output


@pytest.mark.django_db
def test_it_refuses_a_weak_password_from_stdin():
    with pytest.raises(CommandError) as refused:
        run("weak", "--password-stdin", stdin="12345678\n")
    assert refused.value.returncode == 1
    assert not User.objects.filter(username="weak").exists()


@pytest.mark.django_db
def test_it_refuses_an_existing_username_with_exit_code_1(hardware_engineer):
    with pytest.raises(CommandError, match="already exists") as refused:
        run("hana")
    assert refused.value.returncode == 1
    assert hardware_engineer.role_codes() == {"hardware_engineer"}


@pytest.mark.django_db
def test_the_break_glass_account_is_sealed_with_two_secrets():
    output = run("emergency", "--break-glass")
    user = User.objects.get(username="emergency")
    assert user.is_break_glass
    assert user.role_codes() == {"system_admin"}
    password = re.search(r"password:\s+(\S+)", output).group(1)
    assert user.check_password(password)
    assert "authenticator secret" in output
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert AuditEntry.objects.filter(object_id=str(user.pk), flagged=True).exists()


@pytest.mark.django_db
def test_resealing_gives_the_break_glass_account_new_secrets():
    first = run("emergency", "--break-glass")
    old_password = re.search(r"password:\s+(\S+)", first).group(1)
    second = run("emergency", "--break-glass", "--reseal")
    new_password = re.search(r"password:\s+(\S+)", second).group(1)
    user = User.objects.get(username="emergency")
    assert user.check_password(new_password)
    assert not user.check_password(old_password)
    assert AuditEntry.objects.filter(
        message="break-glass account resealed", flagged=True
    ).exists()


@pytest.mark.django_db
def test_only_a_break_glass_account_can_be_resealed(hardware_engineer):
    with pytest.raises(CommandError, match="not a break-glass account"):
        run("hana", "--break-glass", "--reseal")
