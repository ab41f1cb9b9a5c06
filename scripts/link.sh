#!/usr/bin/env bash
# Puts chat-role and chat-role-emulator where a new shell finds them. `npm link` run after
# `source scripts/toolchain.sh` links into the prefix of the Node that toolchain.sh put first on PATH; when that
# is the Node it brought into .tools/, only shells that source toolchain.sh again find the commands. This
# writes two small launchers instead, into DIR (default ~/.local/bin), that run this checkout with that Node,
# so they work from any shell, whichever Node it has.
# Usage: scripts/link.sh [DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
dir="${1:-$HOME/.local/bin}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
node_path="$(command -v node)"
marker='launcher written by scripts/link.sh of chat-role'
for name in chat-role chat-role-emulator; do
  launcher="$dir/$name"
  if [ -e "$launcher" ] && ! grep -qF "$marker" "$launcher" 2>/dev/null; then
    echo "chat-role: $launcher exists and is not a launcher of this script; left as it is" >&2
    echo "hint: remove it, or pass another folder: bash scripts/link.sh DIR" >&2
    exit 1
  fi
  printf '#!/bin/sh\n# %s (%s)\nexec %q %q "$@"\n' "$marker" "$repo_root" "$node_path" "$repo_root/bin/$name.js" \
    >"$launcher.tmp"
  chmod 755 "$launcher.tmp"
  mv -f "$launcher.tmp" "$launcher"
  echo "linked $launcher -> $repo_root/bin/$name.js (with $node_path)"
done
case ":$PATH:" in
  *":$dir:"*) echo "$dir is on PATH: a new shell finds chat-role and chat-role-emulator" ;;
  *)
    echo "$dir is not on PATH; add it, e.g.: echo 'export PATH=\"$dir:\$PATH\"' >> ~/.profile"
    ;;
esac
echo "to undo: rm $dir/chat-role $dir/chat-role-emulator"
