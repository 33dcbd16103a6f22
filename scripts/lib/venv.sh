# Sourced by scripts/demo and scripts/test: create or reuse .venv with the project installed.
# Re-installs only when pyproject.toml changed since the last install (a stamp file records it).
# Usage: . scripts/lib/venv.sh EXTRAS   (EXTRAS: "" or "test"); sets $venv_python.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
venv="$root/.venv"
extras="${1:-}"

pick_python() {
    for candidate in "${PYTHON:-}" python3 python3.13 python3.12 python3.11 python; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "Pledge Wall needs Python 3.11 or newer; none was found (set PYTHON=/path/to/python3.11)." >&2
    return 1
}

if [ ! -x "$venv/bin/python" ]; then
    "$(pick_python)" -m venv "$venv"
fi
venv_python="$venv/bin/python"
spec="$root"
[ -n "$extras" ] && spec="$root[$extras]"
stamp="$venv/.installed${extras:+-$extras}"
want=$(cat "$root/pyproject.toml" | "$venv_python" -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installing Pledge Wall and its dependencies into $venv ..." >&2
    "$venv_python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
    "$venv_python" -m pip install --quiet --disable-pip-version-check -e "$spec" >&2
    echo "$want" >"$stamp"
fi
