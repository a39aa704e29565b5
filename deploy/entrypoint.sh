#!/bin/sh
# Prepares cgroups for the sandbox, then runs `crucible` with the container's arguments (PID 1 is crucible itself,
# so SIGTERM from the kubelet reaches the server's drain directly).
#
# cgroup v2 (every current Kubernetes node): the container sees its own cgroup as /sys/fs/cgroup, mounted read-only,
# and holding this process. To give each sandbox run its own memory/pids/cpu limits the server must create child
# cgroups with those controllers, which cgroup v2 allows only under a cgroup without processes. So, as
# docker-in-docker images do: remount it read-write (CAP_SYS_ADMIN), move this process into a leaf (server/), turn the
# controllers on at the container's root, and tell the sandbox to make its run cgroups there.
# If any step fails the server still starts; it then limits runs with rlimits only and says so in /health.
set -eu
cg=/sys/fs/cgroup
if [ -f "$cg/cgroup.controllers" ]; then
  if ! touch "$cg/.crucible-rw" 2>/dev/null; then
    mount -o remount,rw "$cg" 2>/dev/null || echo "crucible-entrypoint: $cg is read-only and cannot be remounted (needs CAP_SYS_ADMIN, AppArmor unconfined); runs fall back to rlimits" >&2
  fi
  rm -f "$cg/.crucible-rw" 2>/dev/null || true
  if [ -w "$cg/cgroup.subtree_control" ]; then
    mkdir -p "$cg/server"
    echo $$ > "$cg/server/cgroup.procs"
    for c in memory pids cpu; do
      echo "+$c" > "$cg/cgroup.subtree_control" 2>/dev/null || echo "crucible-entrypoint: cannot enable the $c controller" >&2
    done
    export CRUCIBLE_CGROUP_PARENT=/
  fi
fi
exec dotnet /opt/crucible/crucible.dll "$@"
