#!/usr/bin/env bash
# Installs the pandas peer's environment into benches/.venv (not shipped; the benchmark skips the peer without it).
set -euo pipefail
cd "$(dirname "$0")"
python3 -m venv .venv
.venv/bin/pip install --quiet pandas
.venv/bin/python -c "import pandas; print('pandas', pandas.__version__)"
