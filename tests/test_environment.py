"""The environment the README's commands make: locks that match pyproject.toml, the command line
and ``import logit`` from any folder, and the warning policy (our warnings fail, a third party's
deprecation notice does not)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def locked(path: Path) -> dict[str, list[Requirement]]:
    """Pins of a lock file by package name (a package may have one pin per marker)."""
    pins: dict[str, list[Requirement]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#", "-")):
            requirement = Requirement(line)
            pins.setdefault(canonicalize_name(requirement.name), []).append(requirement)
    return pins


RUN_LOCK = locked(ROOT / "requirements.txt")
TEST_LOCK = locked(ROOT / "requirements-test.txt")
DIRECT = [Requirement(text) for text in PYPROJECT["project"]["dependencies"]]
TEST_EXTRA = [Requirement(text) for text in PYPROJECT["project"]["optional-dependencies"]["test"]]


def pinned_versions(pins: list[Requirement]) -> list[str]:
    versions = []
    for pin in pins:
        (specifier,) = pin.specifier
        assert specifier.operator == "==", f"{pin} is not an exact pin"
        versions.append(specifier.version)
    return versions


@pytest.mark.parametrize("lock, requirements", [(RUN_LOCK, DIRECT), (TEST_LOCK, DIRECT + TEST_EXTRA)],
                         ids=["requirements.txt", "requirements-test.txt"])
def test_every_direct_dependency_is_pinned_within_its_range(lock, requirements):
    for requirement in requirements:
        pins = lock.get(canonicalize_name(requirement.name))
        assert pins, f"{requirement.name} from pyproject.toml is missing from the lock: run scripts/lock.sh"
        for version in pinned_versions(pins):
            assert requirement.specifier.contains(version, prereleases=True), f"{requirement.name}=={version}"


def test_the_test_lock_pins_the_run_time_packages_to_the_same_versions():
    for name, pins in RUN_LOCK.items():
        assert sorted(map(str, TEST_LOCK[name])) == sorted(map(str, pins)), name


def test_every_lock_pin_is_exact():
    for lock in (RUN_LOCK, TEST_LOCK):
        for pins in lock.values():
            pinned_versions(pins)


def run_from(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=folder, capture_output=True, text=True, timeout=120)


def test_python_dash_m_logit_works_from_any_folder(tmp_path):
    done = run_from(tmp_path, sys.executable, "-m", "logit", "generate", "blobs", "--n", "20", "-o", "d.csv")
    assert done.returncode == 0, done.stderr
    done = run_from(tmp_path, sys.executable, "-m", "logit", "train", "d.csv", "--json")
    assert done.returncode == 0, done.stderr
    assert '"status"' in done.stdout


def test_the_logit_command_is_installed_beside_python(tmp_path):
    command = Path(sys.executable).parent / "logit"
    assert command.exists(), "the project is not installed: the README's commands run `pip install -e .`"
    done = run_from(tmp_path, str(command), "datasets")
    assert done.returncode == 0, done.stderr
    assert "penguins" in done.stdout


def test_import_logit_from_another_folder_is_this_checkout(tmp_path):
    done = run_from(tmp_path, sys.executable, "-c", "import logit, sys; print(logit.__file__)")
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).resolve() == (ROOT / "logit" / "__init__.py").resolve()


# --- warnings: pytest applies pyproject.toml's filterwarnings inside every test --------------------

def warn_from(module: str, category: type[Warning]) -> None:
    warnings.warn_explicit("a notice", category, filename=f"{module}.py", lineno=1, module=module)


@pytest.mark.parametrize("category", [DeprecationWarning, PendingDeprecationWarning, FutureWarning])
def test_a_third_party_deprecation_is_shown_not_failed(category):
    with warnings.catch_warnings(record=True) as seen:  # the ini filters stay; shown ones are recorded
        warn_from("some_library.module", category)
    assert [w.category for w in seen] == [category]


@pytest.mark.parametrize("category", [DeprecationWarning, FutureWarning, RuntimeWarning, UserWarning])
def test_a_warning_from_logit_fails(category):
    with pytest.raises(category):
        warn_from("logit.training", category)


def test_a_runtime_warning_fails_wherever_it_comes_from():
    with pytest.raises(RuntimeWarning):
        warn_from("numpy.core", RuntimeWarning)
