"""The quick start's uv install works on stock Debian 12 (issue 9, defect 9): with PATH limited
to Debian's /usr/bin:/bin and a fresh HOME, ``scripts/bootstrap-uv`` (what ``scripts/setup``
runs) installs uv into a private venv of Debian's own python3, which refuses ``pip install``
(PEP 668). Needs PyPI, like ``scripts/setup``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[2]
DEBIAN_PYTHON = Path("/usr/bin/python3")
LIMITED_PATH = "/usr/bin:/bin"


def _debian_env(home: Path) -> dict[str, str]:
    """This environment (certificates, package mirrors) with a fresh HOME and Debian's PATH."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("XDG_", "VIRTUAL_ENV", "UV_", "PYTHON"))
    }
    return {**env, "HOME": str(home), "PATH": LIMITED_PATH}


def _debian_python_is_externally_managed() -> bool:
    stdlib = subprocess.run(
        [DEBIAN_PYTHON, "-c", "import sysconfig; print(sysconfig.get_path('stdlib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return (Path(stdlib) / "EXTERNALLY-MANAGED").is_file()


def test_uv_is_installed_with_only_debians_python(tmp_path):
    assert DEBIAN_PYTHON.is_file(), "these tests run on Debian 12: /usr/bin/python3 is missing"
    assert _debian_python_is_externally_managed(), "/usr/bin/python3 is not Debian's (PEP 668)"
    env = _debian_env(tmp_path)
    # what scripts/setup used to do: Debian's python3 refuses it
    refused = subprocess.run(
        ["python3", "-m", "pip", "install", "--quiet", "uv==0.13.8"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode != 0

    done = subprocess.run(
        [ROOT / "scripts" / "bootstrap-uv", "--private"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )

    assert done.returncode == 0, done.stderr
    uv = Path(done.stdout.strip())
    assert uv == tmp_path / ".cache" / "transcaspian" / "uv-0.13.8" / "bin" / "uv"
    version = subprocess.run([uv, "--version"], env=env, capture_output=True, text=True, check=True)
    assert version.stdout.startswith("uv 0.13.8")
    config = (uv.parents[1] / "pyvenv.cfg").read_text(encoding="utf-8")
    assert "home = /usr/bin" in config  # built by Debian's python3
    # a second run reuses it, installing nothing
    again = subprocess.run(
        [ROOT / "scripts" / "bootstrap-uv", "--private"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert again.stdout.strip() == str(uv)
    assert "installing" not in again.stderr


def test_setup_takes_the_uv_on_path_first(tmp_path):
    uv_dir = tmp_path / "bin"
    uv_dir.mkdir()
    fake = uv_dir / "uv"
    fake.write_text("#!/bin/sh\necho uv 0.13.8\n", encoding="utf-8")
    fake.chmod(0o755)
    env = {**_debian_env(tmp_path), "PATH": f"{uv_dir}:{LIMITED_PATH}"}

    done = subprocess.run(
        [ROOT / "scripts" / "bootstrap-uv"], env=env, capture_output=True, text=True, check=True
    )

    assert done.stdout.strip() == str(fake)
    assert not (tmp_path / ".cache").exists()
