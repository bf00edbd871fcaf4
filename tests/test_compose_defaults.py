"""docker-compose.yml's defaults are production's: with nothing but a secret key, the stack it
describes passes `check --deploy` (HTTPS redirect, a year of HSTS)."""

import re
from pathlib import Path

from cryptography.fernet import Fernet

from tests.test_deploy import manage

ROOT = Path(__file__).resolve().parent.parent
VARIABLE = re.compile(r"\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}")


def compose_app_environment(overrides: dict[str, str]) -> dict[str, str]:
    """The environment of the app services (the x-app anchor), as docker compose resolves it
    from `overrides` (what the environment or .env sets) and the file's defaults."""
    text = (ROOT / "docker-compose.yml").read_text()
    block = text.split("x-app: &app", 1)[1].split("\n  environment:\n", 1)[1]
    environment = {}
    for line in block.splitlines():
        if not line.startswith("    ") or line.startswith("     "):
            break
        if line.strip().startswith("#"):
            continue
        name, value = line.strip().split(":", 1)
        value = value.strip().strip('"')
        environment[name] = VARIABLE.sub(
            lambda m: overrides.get(m.group(1), m.group(2) or ""), value)
    return environment


def test_compose_defaults_are_secure():
    environment = compose_app_environment({"SECRET_KEY": "k" * 60})
    assert environment["DEBUG"] == "false"
    assert environment["SECURE_SSL_REDIRECT"] == "true"
    assert int(environment["SECURE_HSTS_SECONDS"]) >= 31_536_000


def test_the_compose_stack_passes_check_deploy_with_its_defaults():
    environment = compose_app_environment(
        {"SECRET_KEY": "compose-secret-from-dot-env-" + "0123456789" * 4,
         "PIC_MFA_ENCRYPTION_KEYS": Fernet.generate_key().decode()})
    result = manage("check", "--deploy", "--fail-level", "WARNING", **environment)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_plain_http_for_a_local_trial_is_an_explicit_override():
    environment = compose_app_environment({"SECRET_KEY": "k" * 60,
                                           "SECURE_SSL_REDIRECT": "false"})
    assert environment["SECURE_SSL_REDIRECT"] == "false"
    readme = (ROOT / "README.md").read_text()
    assert "SECURE_SSL_REDIRECT=false docker compose up" in readme
