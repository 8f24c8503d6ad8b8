"""ruff passes on the package, the tests and the notebooks."""

import subprocess
import sys
from pathlib import Path

from migrationlab import REPO_ROOT


def test_ruff_passes():
    ruff = Path(sys.executable).parent / "ruff"
    targets = [
        d
        for d in ("src", "tests", "notebooks", "solutions", "benchmarks")
        if (REPO_ROOT / d).exists()
    ]
    result = subprocess.run(
        [str(ruff), "check", "--no-cache", *targets], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
