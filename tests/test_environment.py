"""environment.yml (conda) and the pip lock must describe the same environment."""

import re

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from migrationlab import REPO_ROOT

# conda-forge names that differ from the PyPI names (after PEP 503 normalisation).
CONDA_TO_PYPI: dict[str, str] = {"python-duckdb": "duckdb"}
CONDA_ONLY = {"python", "pip"}


def _requirements_in() -> dict[str, Requirement]:
    reqs = {}
    for line in (REPO_ROOT / "requirements.in").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            reqs[canonicalize_name(req.name)] = req
    return reqs


def _lock() -> dict[str, str]:
    pins = {}
    for line in (REPO_ROOT / "requirements.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, sep, ver = line.partition("==")
            assert sep, (
                f"requirements.txt: '{line}' is not pinned with ==; regenerate with make lock"
            )
            pins[canonicalize_name(name)] = ver
    return pins


def _environment() -> dict[str, str | None]:
    """Package -> pinned version of environment.yml: the conda list and its ``pip:`` list.

    Packages that conda-forge does not carry go in the ``pip:`` list, pinned with ``==``.
    """
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    deps = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict) and set(dep) == {"pip"}:
            for line in dep["pip"]:
                req = Requirement(line)
                pins = [s.version for s in req.specifier if s.operator == "=="]
                assert pins, f"environment.yml: pin '{line}' in the pip list with =="
                deps[canonicalize_name(req.name)] = pins[0]
            continue
        assert isinstance(dep, str), (
            "environment.yml: keep every package in the conda list or its pip: list"
        )
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(?:=\s*([^=\s]+))?", dep)
        assert m, f"environment.yml: cannot read dependency '{dep}'; write name or name=version"
        name = canonicalize_name(m.group(1))
        deps[CONDA_TO_PYPI.get(name, name)] = m.group(2)
    return deps


def test_environment_lists_the_same_packages_as_the_pip_requirements():
    env = set(_environment()) - CONDA_ONLY
    pip = set(_requirements_in())
    assert env - pip == set(), f"in environment.yml but not in requirements.in: {sorted(env - pip)}"
    assert pip - env == set(), f"in requirements.in but not in environment.yml: {sorted(pip - env)}"


def test_every_requirement_is_in_the_lock():
    lock = _lock()
    missing = sorted(set(_requirements_in()) - set(lock))
    assert not missing, f"not in requirements.txt: {missing}; run make lock"


def test_lock_satisfies_requirements_in():
    lock = _lock()
    for name, req in _requirements_in().items():
        assert req.specifier.contains(lock[name], prereleases=True), (
            f"requirements.txt pins {name}=={lock[name]}, outside requirements.in's '{req}'; "
            "run make lock"
        )


def test_conda_pins_equal_the_lock():
    lock = _lock()
    env = _environment()
    assert env.get("python", "").startswith("3.11")
    for name, pin in env.items():
        if pin is None or name in CONDA_ONLY:
            continue
        assert lock[name] == pin, (
            f"environment.yml pins {name}={pin} but requirements.txt has {name}=={lock[name]}; "
            "update environment.yml"
        )


def test_key_packages_are_pinned_in_conda():
    env = _environment()
    for key in ("jupyter-book", "pandas", "numpy", "geopandas", "segregation", "otter-grader"):
        assert env.get(key), f"environment.yml: pin {key} to the version in requirements.txt"


def test_slow_optional_import_is_left_out_of_the_lock():
    # rfc3987-syntax adds ~1.8 s to every `import nbformat`; see requirements.in.
    assert "rfc3987-syntax" not in _lock()
