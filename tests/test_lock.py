"""The production lock (requirements.lock, compiled by uv from pyproject.toml): in sync with
pyproject's dependencies, every pin hashed, and what the Dockerfile installs."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def pins() -> dict[str, Version]:
    found = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            found[canonicalize_name(match[1])] = Version(match[2])
    return found


def requirements(group: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = project["dependencies"] if group is None else project["optional-dependencies"][group]
    return [Requirement(text) for text in listed]


def test_every_dependency_of_pyproject_is_pinned_at_a_version_its_range_admits():
    locked = pins()
    wrong = {}
    for requirement in requirements():
        version = locked.get(canonicalize_name(requirement.name))
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            wrong[str(requirement)] = str(version)
    assert wrong == {}, "requirements.lock is out of date: regenerate it (README, Production)"


def test_the_lock_holds_no_development_tool():
    dev_only = {canonicalize_name(r.name) for r in requirements("dev")}
    assert dev_only & set(pins()) == set()


def test_every_pin_of_the_lock_has_its_hashes():
    text = LOCK.read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    unhashed = [block.split("==")[0] for block in blocks
                if PIN.match(block) and "--hash=sha256:" not in block]
    assert len(pins()) > len(requirements())
    assert unhashed == []


def test_the_dockerfile_installs_from_the_lock_with_hashes():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install --require-hashes -r requirements.lock" in dockerfile
    assert "--no-deps" in dockerfile
