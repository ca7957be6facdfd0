#!/usr/bin/env bash
# Installs the Sysplex Explorer client feature from our update site into a copy of the
# materialized IDE, with that IDE's own p2 director, as a user's Eclipse would install it;
# then checks that p2 lists the feature as installed and that the view's bundle resolves in
# the IDE's OSGi framework. Usage: install-into-ide.sh <materialized-ide> <site-repository> <work-dir>
set -euo pipefail
ide_src=$1 site=$2 work=$3
feature=dev.sysplex.client.feature.feature.group
profile=SysplexIDE
java="${JAVA_HOME:?JAVA_HOME must name the JDK that runs the IDE}/bin/java"

fail() { echo "install-into-ide check FAILED: $*" >&2; exit 1; }
[ -d "$ide_src/plugins" ] || fail "no materialized IDE at $ide_src (run the build's package phase first)"
[ -f "$site/content.jar" ] || [ -f "$site/content.xml" ] || [ -f "$site/content.xml.xz" ] \
  || fail "no p2 repository at $site (build releng/dev.sysplex.site first)"

rm -rf "$work"; mkdir -p "$work"
cp -a "$ide_src" "$work/ide"
ide="$work/ide"
launcher=$(ls "$ide"/plugins/org.eclipse.equinox.launcher_*.jar 2>/dev/null | head -n 1)
[ -n "$launcher" ] || fail "the IDE has no equinox launcher jar in $ide/plugins"

director() {
  # -data/-configuration inside the work dir: the check never touches the user's workspace.
  timeout 300 "$java" -jar "$launcher" -nosplash -consoleLog -data "$work/director-workspace" \
    -application org.eclipse.equinox.p2.director -destination "$ide" -profile "$profile" "$@"
}

echo "[install-check] installing $feature from $site into $ide"
director -repository "file:$site" -installIU "$feature" > "$work/director-install.log" 2>&1 \
  || { cat "$work/director-install.log" >&2; fail "p2 director could not install $feature"; }

echo "[install-check] asking p2 which roots are installed"
director -listInstalledRoots > "$work/director-roots.log" 2>&1 \
  || { cat "$work/director-roots.log" >&2; fail "p2 director could not list installed roots"; }
grep -q "^$feature/" "$work/director-roots.log" \
  || { cat "$work/director-roots.log" >&2; fail "$feature is not among the installed roots"; }
echo "[install-check] p2 lists $(grep "^$feature/" "$work/director-roots.log")"

echo "[install-check] resolving the IDE's bundles in an OSGi framework"
timeout 120 "$java" -cp "$(ls "$ide"/plugins/org.eclipse.osgi_*.jar | head -n 1)" \
  "$(dirname "$0")/ResolveCheck.java" "$ide" "$work/osgi-storage" dev.sysplex.ui dev.sysplex.protocol dev.sysplex.client dev.sysplex.core dev.sysplex.debug \
  || fail "the client's bundles do not resolve in the IDE"
echo "[install-check] Secure Storage in the installed IDE: a password provider, a secret stored and read back"
# headless, nobody types the master password the provider would ask for: a file gives it, and the
# storage is a file of this check (the user's own is never touched); read in a second JVM
printf 'install-check-master\n' > "$work/master-password"
secret="install-check-$$-$RANDOM"
storage() {
  timeout 120 "$java" -jar "$launcher" -nosplash -consoleLog -data "$work/storage-workspace" \
    -application dev.sysplex.core.secureStorageCheck -eclipse.keyring "$work/secure_storage" \
    -eclipse.password "$work/master-password" "$@"
}
storage store "$secret" > "$work/storage-store.log" 2>&1 \
  || { cat "$work/storage-store.log" >&2; fail "the installed IDE could not store a secret in Secure Storage"; }
storage read "$secret" > "$work/storage-read.log" 2>&1 \
  || { cat "$work/storage-read.log" >&2; fail "the installed IDE could not read its secret back from Secure Storage"; }
grep -h "secureStorageCheck:" "$work/storage-store.log" "$work/storage-read.log" | sed 's/^/[install-check]   /'
grep -q "^secureStorageCheck: password provider modules: .*org.eclipse.equinox.security.ui" "$work/storage-store.log" \
  || fail "the installed IDE lacks the master-password provider of org.eclipse.equinox.security.ui"
echo "[install-check] the Help system in the installed IDE: F1 context, search, the help server"
timeout 180 "$java" -jar "$launcher" -nosplash -consoleLog -data "$work/help-workspace" \
  -application dev.sysplex.ide.help.helpCheck > "$work/help-check.log" 2>&1 \
  || { cat "$work/help-check.log" >&2; fail "the installed IDE's Help system does not serve the client's help"; }
grep -h "^helpCheck:" "$work/help-check.log" | sed 's/^/[install-check]   /'
echo "[install-check] OK: the client feature is installed and its bundles resolve; start it with: ./build ide"
