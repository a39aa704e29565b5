#!/usr/bin/env bash
# Builds the demo repositories for `crucible swe` from the files in examples/swe (no .git is committed):
#   OUT/repos/crucible-demo__<name>            a git clone whose history is the base tree plus one fix commit per task
#   OUT/repos/crucible-demo__<name>.env.yaml   its environment spec, when it has one
#   OUT/predictions-gold.jsonl, OUT/predictions-mixed.jsonl
# Commits use a fixed identity and date, so their ids are the base_commit values in examples/swe/tasks/*/task.yaml.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: build-demo.sh OUT_DIR}"
mkdir -p "$out/repos"
export GIT_AUTHOR_NAME=demo GIT_AUTHOR_EMAIL=demo@example.invalid GIT_COMMITTER_NAME=demo GIT_COMMITTER_EMAIL=demo@example.invalid
export GIT_AUTHOR_DATE=2024-01-01T00:00:00Z GIT_COMMITTER_DATE=2024-01-01T00:00:00Z GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
for src in "$here"/repos/*/; do
  name="$(basename "$src")"
  repo="$out/repos/crucible-demo__$name"
  rm -rf "$repo"
  mkdir -p "$repo"
  cp -r "$src/base/." "$repo/"
  find "$repo" -type f -exec chmod 0644 {} +
  git -C "$repo" init -q -b main
  git -C "$repo" add -A
  git -C "$repo" commit -q -m "$name: initial"
  while IFS=$'\t' read -r id message; do
    task="$here/tasks/$id"
    want="$(sed -n 's/^base_commit: *//p' "$task/task.yaml")"
    have="$(git -C "$repo" rev-parse HEAD)"
    [ "$want" = "$have" ] || { echo "error: $id expects base_commit $want but the rebuilt history has $have" >&2; exit 1; }
    git -C "$repo" apply "$task/gold.patch" "$task/test.patch"
    git -C "$repo" add -A
    git -C "$repo" commit -q -m "$message"
  done < "$src/history.tsv"
  [ -f "$src/env.yaml" ] && cp "$src/env.yaml" "$repo.env.yaml"
done
# Predictions in SWE-bench's JSONL form: every gold patch, and a mix of right, wrong and non-applying answers.
python3 - "$here" "$out" <<'PY'
import json, os, sys
here, out = sys.argv[1], sys.argv[2]
tasks = sorted(os.listdir(os.path.join(here, "tasks")))
read = lambda *p: open(os.path.join(here, *p)).read()
with open(os.path.join(out, "predictions-gold.jsonl"), "w") as f:
    for t in tasks:
        f.write(json.dumps({"instance_id": t, "model_name_or_path": "gold", "model_patch": read("tasks", t, "gold.patch")}) + "\n")
# The mix: two right answers, and for the others their wrong or non-applying patch from predictions-src/.
right = {"crucible-demo__textkit-2", "crucible-demo__numkit-2"}
with open(os.path.join(out, "predictions-mixed.jsonl"), "w") as f:
    for t in tasks:
        alt = sorted(p for p in os.listdir(os.path.join(here, "predictions-src")) if p.startswith(t + "."))
        patch = read("tasks", t, "gold.patch") if t in right or not alt else read("predictions-src", alt[0])
        f.write(json.dumps({"instance_id": t, "model_name_or_path": "demo-model", "model_patch": patch}) + "\n")
PY
echo "demo repositories in $out/repos; predictions in $out/predictions-{gold,mixed}.jsonl"
