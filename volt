#!/usr/bin/env bash
# The Volt Workflow CLI from a checkout: builds the CLI jar when it is missing or older than the sources, then runs
# it with the given arguments (see docs/cli.md), e.g.  ./volt run "Build a REST API for user management"
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
jar="$root/volt-workflow-server/target/volt-workflow.jar"
stale() {
  [ ! -f "$jar" ] || [ -n "$(find "$root"/volt-workflow-*/src "$root"/pom.xml "$root"/volt-workflow-*/pom.xml \
    -newer "$jar" -type f -print -quit 2>/dev/null)" ]
}
if stale; then
  echo "volt: building the CLI (once; about a minute)…" >&2
  (cd "$root" && ./mvnw -B -q -DskipTests -pl volt-workflow-server -am package) >&2
fi
exec java -jar "$jar" "$@"
