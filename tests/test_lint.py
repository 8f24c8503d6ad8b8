"""ruff passes on the package, the tests and the notebooks."""

import subprocess
import sys
from pathlib import Path

from migrationlab import REPO_ROOT


def test_ruff_passes():
    ruff = Path(sys.executable).parent / "ruff"
    # The whole repository, as a developer runs it; pyproject.toml says what each folder is
    # exempt from and why. Generated files that git ignores (book/solutions/, written from
    # the linted solutions/) are skipped, as ruff skips what .gitignore lists.
    result = subprocess.run(
        [str(ruff), "check", "--no-cache", "."], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
