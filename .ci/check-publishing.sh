#!/usr/bin/env bash
# Deploys what a release publishes (the parent POM, the libraries the Jenkins plugin bundles and the plugin itself) to
# a file repository under target/, then resolves the plugin and everything of ours it needs from that folder alone,
# with no network: the deployed POMs must name real versions (no ${revision}) and nothing may be missing.
# Runs after `./mvnw -B verify` (it reuses the compiled classes); the shared ~/.m2 is only read, never written.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f ../shared/jenkins-repo/settings.xml ] && [ -z "${JENKINS_URL:-}" ]; then
  echo "check-publishing: skipped, the Jenkins plugin is not built here (no ../shared/jenkins-repo)"
  exit 0
fi

work="$PWD/target/publish-check"
rm -rf "$work"
mkdir -p "$work"
repo="$work/repository"
# A version no other build uses, so whatever resolves below can only come from $repo. A release version: the plugin
# parent's enforcer rules for releases run too.
version="$(sed -n 's:.*<revision>\(.*\)</revision>.*:\1:p' pom.xml | head -1)-publishcheck"
local_repo=(-Dmaven.repo.local="$work/local" -Dmaven.repo.local.tail="$HOME/.m2/repository")

./mvnw -B -q "${local_repo[@]}" -Dchangelist=-publishcheck -DskipTests -Dspotbugs.skip -Dspotless.check.skip \
  -Dmaven.install.skip -DaltDeploymentRepository="publish-check::file://$repo" \
  -pl volt-workflow-plugin -am deploy

fail() { echo "check-publishing: $*" >&2; exit 1; }
for artifact in io/voltworkflow/volt-workflow-parent io/voltworkflow/volt-workflow-core \
  io/voltworkflow/volt-workflow-engines io/voltworkflow/volt-workflow-ui io/jenkins/plugins/volt-workflow; do
  [ -d "$repo/$artifact/$version" ] || fail "$artifact $version was not deployed"
done
for artifact in volt-workflow-store-postgres volt-workflow-server volt-workflow-bench volt-workflow-it \
  volt-workflow-examples; do
  [ ! -d "$repo/io/voltworkflow/$artifact" ] || fail "$artifact was deployed, it is not published"
done
if grep -l -E '\$\{(revision|changelist)\}' $(find "$repo" -name '*.pom'); then
  fail "the deployed POMs above name unresolved versions"
fi

# Resolve the plugin with its dependencies, offline: file repositories only (the deploy folder for our artifacts, the
# Jenkins artifacts folder or the local repository for the rest), into an empty local repository.
jenkins_repo=""
[ -f ../shared/jenkins-repo/settings.xml ] && jenkins_repo=",jenkins::::file://$(cd ../shared/jenkins-repo && pwd)"
./mvnw -B -q -o -Daether.offline.protocols=file -Dmaven.repo.local="$work/consumer" \
  -Dmaven.repo.local.tail="$HOME/.m2/repository" dependency:get -Dtransitive=true \
  -Dartifact="io.jenkins.plugins:volt-workflow:$version:hpi" \
  -DremoteRepositories="publish-check::::file://$repo$jenkins_repo"
for artifact in volt-workflow-parent volt-workflow-core volt-workflow-engines volt-workflow-ui; do
  [ -d "$work/consumer/io/voltworkflow/$artifact/$version" ] || fail "$artifact $version did not resolve"
done
echo "check-publishing: deployed and resolved $version from $repo: parent, core, engines, ui, the plugin"
