#!/usr/bin/env bash
# Prints how fast ./sysplex starts: the mean wall time of N warm runs (default 20) of --help and of
# check examples/two-systems, beside a bare `java -version` of the same JDK (the JVM's own share).
# Usage: releng/scripts/startup-figures.sh [N]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-20}
[[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 1000 ] || { echo "usage: $0 [RUNS 1-1000]" >&2; exit 2; }
cd "$root"
./sysplex --help > /dev/null                      # compiles when needed
for i in $(seq 1 60); do                          # the start-up cache is made in the background
  { [ -f target/sysplex-cli/sysplex.aot ] || [ -f target/sysplex-cli/sysplex.jsa ]; } && break
  sleep 1
done
java_bin="$(sed -n 2p target/sysplex-cli.jdk)/bin/java"
mean() {
  local start end
  start=$(date +%s%N)
  for _ in $(seq 1 "$n"); do "$@" > /dev/null 2>&1 || true; done
  end=$(date +%s%N)
  awk -v ns=$((end - start)) -v n="$n" -v what="$*" 'BEGIN { printf "%6.3f s  %s\n", ns / n / 1e9, what }'
}
echo "mean of $n warm runs:"
mean "$java_bin" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -version
mean ./sysplex --help
mean ./sysplex check examples/two-systems
