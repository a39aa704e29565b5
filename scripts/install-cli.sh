#!/usr/bin/env bash
# Publishes the `crucible` command ReadyToRun (precompiled: no JIT work at start-up) and puts it on PATH.
# Usage: bash scripts/install-cli.sh [PREFIX]   (default PREFIX: /usr/local as root, ~/.local otherwise)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -eq 0 ]; then prefix=${1:-/usr/local}; else prefix=${1:-$HOME/.local}; fi
rid=linux-$(uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')
dest="$prefix/lib/crucible"
dotnet publish src/Crucible.Cli -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -nologo -v quiet -o "$dest"
mkdir -p "$prefix/bin"
ln -sf "$dest/crucible" "$prefix/bin/crucible"
echo "installed: $prefix/bin/crucible -> $dest/crucible"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "note: add $prefix/bin to PATH";; esac
