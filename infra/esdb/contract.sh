#!/usr/bin/env bash
# Runs the event-store contract suite (test/eventstore/esdb.contract.test.ts, which honours ESDB_URL) against a
# real EventStoreDB/KurrentDB of each supported version, one throw-away insecure in-memory container at a time.
#
#   infra/esdb/contract.sh                 # every version below
#   infra/esdb/contract.sh 24.10.4 25.1.4  # only these
#   ESDB_ENGINE=podman infra/esdb/contract.sh
#
# Needs a container engine (docker or podman) that can pull the images; exits 2 when there is none, so CI
# can tell "not run" from "failed". Images: EventStoreDB up to 24.x on Docker Hub `eventstore/eventstore`,
# KurrentDB 25+ on `kurrentplatform/kurrentdb`; override one with ESDB_IMAGE_<version with _ for .>, e.g.
# ESDB_IMAGE_24_10_4=registry.example/eventstore:24.10.4. Check the tags on Docker Hub before a release.
set -euo pipefail
cd "$(dirname "$0")/../.."

versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(22.10.5 23.10.7 24.10.4 24.10.14 25.0.0 25.1.4)

image_for() {
  local version=$1 override="ESDB_IMAGE_${1//./_}"
  if [ -n "${!override:-}" ]; then echo "${!override}"; return; fi
  case $version in
    2[2-4].*) echo "eventstore/eventstore:${version}-bookworm-slim" ;;
    *) echo "kurrentplatform/kurrentdb:${version}" ;;
  esac
}

engine=${ESDB_ENGINE:-}
if [ -z "$engine" ]; then
  for candidate in docker podman; do
    if command -v "$candidate" >/dev/null && "$candidate" info >/dev/null 2>&1; then engine=$candidate; break; fi
  done
fi
if [ -z "$engine" ]; then
  echo "contract.sh: no working container engine (docker or podman); the suite was NOT run against real servers" >&2
  exit 2
fi

port=${ESDB_PORT:-21130}
failed=()
for version in "${versions[@]}"; do
  image=$(image_for "$version")
  name="bbb-ledger-esdb-${version//./-}-$$"
  echo "== $version ($image) on 127.0.0.1:$port"
  # Both prefixes: EventStoreDB reads EVENTSTORE_*, KurrentDB 25+ KURRENTDB_* (and still the old ones).
  "$engine" run -d --rm --name "$name" -p "127.0.0.1:$port:2113" \
    -e EVENTSTORE_INSECURE=true -e EVENTSTORE_MEM_DB=true -e EVENTSTORE_RUN_PROJECTIONS=None \
    -e KURRENTDB_INSECURE=true -e KURRENTDB_MEM_DB=true -e KURRENTDB_RUN_PROJECTIONS=None \
    "$image" >/dev/null
  trap '"$engine" rm -f "$name" >/dev/null 2>&1 || true' EXIT
  ready=
  for _ in $(seq 1 90); do
    if curl -sf "http://127.0.0.1:$port/health/live" >/dev/null 2>&1; then ready=1; break; fi
    sleep 1
  done
  if [ -z "$ready" ]; then
    echo "$version: the server did not become live within 90 s; its log:" >&2
    "$engine" logs "$name" 2>&1 | tail -20 >&2
    failed+=("$version (not live)")
  elif ! ESDB_URL="esdb://127.0.0.1:$port?tls=false" npx tap --reporter=terse test/eventstore/esdb.contract.test.ts; then
    failed+=("$version")
  fi
  "$engine" rm -f "$name" >/dev/null 2>&1 || true
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "contract suite FAILED against: ${failed[*]}" >&2
  exit 1
fi
echo "contract suite passed against: ${versions[*]}"
