# Shared by ./build and ./sysplex: choose a JDK 21+ and, for UI work, a display.
# Sourced, not run. Messages go to stderr; failures say what to install.

sysplex_die() { echo "error: $*" >&2; exit 1; }

# Prints the Java feature version (17, 21, 25 ...) of a java executable, or nothing.
sysplex_java_version() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n 1
}

# Sets JAVA_HOME to a JDK 21 or newer: $JAVA_HOME if it qualifies, else the newest under
# /usr/lib/jvm, else the java on PATH. Stops with what to install when there is none.
sysplex_pick_jdk() {
  local candidates=() c v best="" bestv=0 seen=""
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in /usr/lib/jvm/*/; do [ -x "$c/bin/javac" ] && candidates+=("${c%/}"); done
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(sysplex_java_version "$c/bin/java"); seen="$seen $(basename "$c")=${v:-?}"
    [ -n "$v" ] || continue
    if [ -n "${JAVA_HOME:-}" ] && [ "$c" = "$JAVA_HOME" ] && [ "$v" -ge 21 ]; then best=$c; bestv=$v; break; fi
    if [ "$v" -ge 21 ] && [ "$v" -gt "$bestv" ]; then best=$c; bestv=$v; fi
  done
  if [ -z "$best" ]; then
    sysplex_die "Sysplex Explorer needs a JDK 21 or newer (javac included); found:${seen:- none}.
  Install one (for example Eclipse Temurin 21 or 25, or 'apt-get install openjdk-21-jdk' where your
  distribution has it) and set JAVA_HOME to its directory, then run this command again."
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
  echo "[sysplex] using JDK $bestv at $JAVA_HOME" >&2
}

# apt-get install the named packages when allowed (root or password-less sudo, and
# SYSPLEX_NO_INSTALL unset); else stop with the command the user should run.
sysplex_apt_install() {
  local sudo=""
  if [ -n "${SYSPLEX_NO_INSTALL:-}" ] || ! command -v apt-get >/dev/null 2>&1; then
    sysplex_die "missing: $*. Install them (Debian/Ubuntu: apt-get install -y --no-install-recommends $*) and run again."
  fi
  if [ "$(id -u)" -ne 0 ]; then
    if sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      sysplex_die "missing: $*. Run: sudo apt-get install -y --no-install-recommends $*"
    fi
  fi
  echo "[sysplex] installing $* (apt-get)" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 \
    && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 \
    || sysplex_die "apt-get could not install $*; install them by hand and run again."
}

# What the coupling facility on etcd and the isolated mode (start --isolated) need, and their
# tests: Debian's etcd-server and etcd-client, nftables, iproute2 (none starts anything by itself).
# Installed where it may be; elsewhere those tests are skipped with a note (CI=true makes them fail
# instead, so CI never passes without them).
sysplex_isolated_prereqs() {
  local need=() tool
  has() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }
  has etcd || need+=(etcd-server)
  has etcdctl || need+=(etcd-client)
  has nft || need+=(nftables)
  has ip || need+=(iproute2)
  has arping || need+=(iputils-arping)
  for tool in unshare nsenter setpriv; do has $tool || { need+=(util-linux); break; }; done
  [ ${#need[@]} -eq 0 ] && return 0
  if [ -z "${SYSPLEX_NO_INSTALL:-}" ] && command -v apt-get >/dev/null 2>&1 \
      && { [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; }; then
    sysplex_apt_install "${need[@]}"
  else
    echo "[sysplex] not installed: ${need[*]} (apt-get install ${need[*]}): the tests of etcd and of the isolated mode are skipped" >&2
  fi
}

# Makes sure SWT can run: GTK 3 always, and Xvfb + xauth when there is no display.
# Sets SYSPLEX_XVFB to the xvfb-run prefix to use (empty when a display exists).
sysplex_ui_prereqs() {
  local need=()
  ldconfig -p 2>/dev/null | grep -q 'libgtk-3\.so\.0' || need+=(libgtk-3-0)
  SYSPLEX_XVFB=()
  if [ -z "${DISPLAY:-}" ]; then
    command -v xvfb-run >/dev/null 2>&1 || need+=(xvfb)
    command -v xauth >/dev/null 2>&1 || need+=(xauth)
  fi
  [ ${#need[@]} -eq 0 ] || sysplex_apt_install "${need[@]}"
  if [ -z "${DISPLAY:-}" ]; then
    echo "[sysplex] no DISPLAY: UI runs on a virtual screen (Xvfb)" >&2
    SYSPLEX_XVFB=(xvfb-run -a -s "-screen 0 1600x1000x24")
  fi
}
