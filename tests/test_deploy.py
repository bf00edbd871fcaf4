"""Production settings: `check --deploy` is clean, and nothing runs without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY",
                                                                   "PIC_MFA_ENCRYPTION_KEYS"}}
    environment.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="false",
                    PIC_MFA_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
                    SECRET_KEY="x" * 20 + "-production-secret-from-the-environment-0123456789",
                    ALLOWED_HOSTS="pic.example.org")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="false", ALLOWED_HOSTS="pic.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_the_mfa_encryption_key():
    result = manage("check", DEBUG="false", ALLOWED_HOSTS="pic.example.org",
                    SECRET_KEY="x" * 20 + "-production-secret-from-the-environment-0123456789")
    assert result.returncode != 0
    assert "PIC_MFA_ENCRYPTION_KEYS" in result.stderr


def test_production_refuses_a_malformed_mfa_encryption_key():
    result = manage("check", DEBUG="false", ALLOWED_HOSTS="pic.example.org",
                    SECRET_KEY="x" * 20 + "-production-secret-from-the-environment-0123456789",
                    PIC_MFA_ENCRYPTION_KEYS="not-a-key")
    assert result.returncode != 0
    assert "not a Fernet key" in result.stderr
