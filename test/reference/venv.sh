#!/usr/bin/env bash
# Creates (once) the throwaway virtualenv build/ref-venv with the pinned reference packages
# and prints the path of its python. Usage: PY=$(bash test/reference/venv.sh)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/build/ref-venv"
req="$root/test/reference/requirements.txt"
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$req" "$stamp"; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet -r "$req" >&2
  cp "$req" "$stamp"
fi
echo "$venv/bin/python"
