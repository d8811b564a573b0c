#!/bin/sh
# Print the path of a CPython 3.12 interpreter (Pyodide 0.27.7 runs 3.12, and the
# bytecode we precompile for it must come from the same minor version).
# Looks at $PYTHON, python3.12 on PATH, pyenv's versions, then python3.
set -u
is312() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' >/dev/null 2>&1; }
for cand in ${PYTHON:-} python3.12 /usr/bin/python3.12 /usr/local/bin/python3.12; do
  if [ -n "$cand" ] && is312 "$cand"; then command -v "$cand"; exit 0; fi
done
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for cand in "$root"/versions/3.12*/bin/python3.12; do
  if [ -x "$cand" ] && is312 "$cand"; then echo "$cand"; exit 0; fi
done
if is312 python3; then command -v python3; exit 0; fi
echo "error: no Python 3.12 found (tried \$PYTHON, python3.12, pyenv versions, python3)." >&2
echo "Install one (e.g. 'pyenv install 3.12' or 'apt-get install python3.12') or set PYTHON=/path/to/python3.12." >&2
exit 1
