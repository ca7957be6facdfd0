#!/usr/bin/env bash
# The Eclipse client's core tests against an isolated sysplex, from its client namespace:
# starts a copy of examples/two-systems with ./sysplex start --isolated (every system a process in
# a network namespace of its own), then runs Maven, and so the OSGi test runtime it forks, inside
# the client namespace (./sysplex enter) with only IsolatedClientTest selected. Offline (-o): the
# build that ran before this one fetched everything. Called by ./build test after the main test
# run; needs root and what the isolated mode needs, else it says so and skips (under CI=true it
# fails instead: CI installs them). Everything it starts is ended by PID, its copy removed.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
cd "$root"
. releng/scripts/common.sh

missing=""
[ "$(id -u)" -eq 0 ] || missing="root"
for tool in ip nft unshare nsenter etcd arping; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || [ -x "/sbin/$tool" ] || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  [ "${CI:-}" = "true" ] && sysplex_die "the Eclipse client's isolated tests cannot run under CI: missing$([ "$missing" = root ] || echo :) $missing"
  echo "[sysplex] the Eclipse client's tests against an isolated sysplex are skipped: this machine lacks $missing (see docs/deployment.md)" >&2
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/sysplex-isolated-client.XXXXXX")
plex="$work/plex"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    { echo quit >&7; } 2>/dev/null || true
    exec 7>&- 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill "$pid" 2>/dev/null   # its shutdown hook ends what it started
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$plex"
cp -RL examples/two-systems/. "$plex/"   # -L: jobs/ is a link to the shared examples/jobs
rm -rf "$plex/var" "$plex/security"
(umask 077; head -c 18 /dev/urandom | base64 > "$work/password")
./sysplex user add "$plex" IBMUSER --password-file "$work/password" >/dev/null
mkfifo "$work/console"
./sysplex start "$plex" --isolated < "$work/console" > "$work/sysplex.log" 2>&1 &
pid=$!
exec 7>"$work/console"   # the console stays open until the tests are done
for _ in $(seq 1 240); do
  grep -q '^Running\.' "$work/sysplex.log" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
if ! grep -q '^Running\.' "$work/sysplex.log" 2>/dev/null; then
  cat "$work/sysplex.log" >&2
  sysplex_die "the isolated sysplex for the Eclipse client's tests did not start within 120 s (its output is above)"
fi
echo "[sysplex] isolated sysplex started from $plex; the Eclipse client's core tests run in its client namespace" >&2
start=$(date +%s)
set +e
./sysplex enter "$plex" -- ./mvnw -o -B -q verify -pl tests/dev.sysplex.core.tests -am \
  -Dtest=IsolatedClientTest -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false \
  -Dsysplex.isolated="$plex" -Dsysplex.isolated.passwordFile="$work/password" "$@"
rc=$?
set -e
report=tests/dev.sysplex.core.tests/target/surefire-reports/TEST-dev.sysplex.core.tests.IsolatedClientTest.xml
if [ $rc -eq 0 ]; then
  # passed, not skipped: the report says how many ran
  ran=$(grep -o 'tests="[0-9]*"' "$report" | head -n 1 | tr -dc 0-9)
  skipped=$(grep -o 'skipped="[0-9]*"' "$report" | head -n 1 | tr -dc 0-9)
  [ -n "$ran" ] && [ "$ran" -gt 0 ] && [ "${skipped:-0}" -eq 0 ] \
    || sysplex_die "IsolatedClientTest did not run in the client namespace (tests=${ran:-?}, skipped=${skipped:-?}; $report)"
  echo "[sysplex] the Eclipse client's tests against the isolated sysplex passed ($ran tests, $(( $(date +%s) - start )) s)" >&2
else
  echo "[sysplex] the isolated sysplex said:" >&2; tail -n 30 "$work/sysplex.log" >&2
fi
exit $rc
