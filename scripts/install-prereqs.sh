#!/usr/bin/env bash
# Installs what Crucible needs on a Debian machine: bubblewrap (namespaces), util-linux (setpriv, prlimit),
# and the sandbox's Python with numpy and pytest (repository tasks), git and patch. Toolchains (g++, javac, node, rustc, dotnet) are detected, not required:
# a missing one makes its language unavailable with a reason, and its tests skip.
set -euo pipefail
need=()
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v setpriv >/dev/null 2>&1 || need+=(util-linux)
[ -x /usr/bin/python3 ] || need+=(python3)
/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1 || need+=(python3-numpy)
/usr/bin/python3 -c 'import pytest' >/dev/null 2>&1 || need+=(python3-pytest)   # repository tasks (crucible swe)
command -v git >/dev/null 2>&1 || need+=(git)
command -v patch >/dev/null 2>&1 || need+=(patch)
command -v g++ >/dev/null 2>&1 || need+=(g++)
# A C compiler at build time: the zygotes' native parts (run_init, fork_server.so) are built from C; without one the
# sandbox runs single runs without zygotes.
command -v cc >/dev/null 2>&1 || need+=(gcc)
# iproute2: the replica test puts servers in network namespaces (`ip netns`), as separate hosts.
command -v ip >/dev/null 2>&1 || need+=(iproute2)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "installing: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v dotnet >/dev/null 2>&1 || { echo "error: the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; }
echo "prerequisites ok: $(bwrap --version), $(/usr/bin/python3 --version), numpy $(/usr/bin/python3 -c 'import numpy; print(numpy.__version__)')"
