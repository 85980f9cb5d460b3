# Shared by scripts/run and scripts/test: create .venv and install graphkit with pinned versions.
# Sourced, not executed. Uses only Python 3.11+ and pip (no make, no system packages).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="${GRAPHKIT_VENV:-$ROOT/.venv}"
EXTRAS="${1:-}"
stamp="$VENV/.graphkit-installed${EXTRAS:+-$EXTRAS}"
if [ ! -x "$VENV/bin/python" ]; then
  echo "creating virtual environment in $VENV" >&2
  "$PYTHON" -m venv "$VENV"
fi
# Reinstall when the pins or the project metadata changed since the last install.
if [ ! -f "$stamp" ] || [ constraints.txt -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "installing graphkit${EXTRAS:+[$EXTRAS]} (pinned by constraints.txt)" >&2
  "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
  "$VENV/bin/python" -m pip install --quiet -c constraints.txt -e ".${EXTRAS:+[$EXTRAS]}" >&2
  touch "$stamp"
fi
export PATH="$VENV/bin:$PATH"
