#!/bin/sh
# Validation of a workspace created by 'volt run' / 'volt serve': a task scaffold written by the built-in code
# generator must have a title, an "Acceptance criteria" section and at least one criterion, and its "Depends on:" line
# must link each task to that task's scaffold ("[T1](T1.md)") so a reader can follow the plan. The generator writes
# plain task ids until validation tells it otherwise: a task with dependencies goes through one repair round, the
# repair loop at work with no model. One JUnit test case per
# scaffold. Run by Volt Workflow's built-in validation, it checks only the scaffolds its task changed
# ($VOLT_CHANGED_FILES) and writes its report into that run's own directory ($VOLT_REPORTS_DIR); run by hand, it
# checks every scaffold and writes to build/test-results/scaffold/. Shell built-ins only: hundreds run at once.
set -uf
reports=${VOLT_REPORTS_DIR:-build/test-results/scaffold}
[ -d "$reports" ] || mkdir -p "$reports"
if [ -n "${VOLT_REPORTS_DIR+set}" ]; then
  scope=${VOLT_CHANGED_FILES:-}
else
  set +f
  scope=$(printf '%s\n' volt-scaffold/*/*.md)
  set -f
fi
cases=""
tests=0
failures=0
newline='
'
IFS=$newline
for file in $scope; do
  case "$file" in volt-scaffold/*.md) ;; *) continue ;; esac
  [ -f "$file" ] || continue
  tests=$((tests + 1))
  title=no section=no criterion=no first=yes unlinked=no
  while IFS= read -r line || [ -n "$line" ]; do
    case "$first:$line" in "yes:# "*) title=yes ;; esac
    first=no
    case "$line" in
      "## Acceptance criteria"*) section=yes ;;
      "- [ ] "*) criterion=yes ;;
      "Depends on: "*)
        rest=${line#Depends on: }
        while [ -n "$rest" ]; do
          item=${rest%%, *}
          case "$rest" in *", "*) rest=${rest#*, } ;; *) rest="" ;; esac
          case "$item" in "["*"]("*".md)") ;; *) unlinked=yes ;; esac
        done
        ;;
    esac
  done < "$file"
  problem=""
  [ "$title" = yes ] || problem="no title line"
  [ "$section" = yes ] || problem="${problem:+$problem; }no 'Acceptance criteria' section"
  [ "$criterion" = yes ] || problem="${problem:+$problem; }no acceptance criterion"
  [ "$unlinked" = no ] || problem="${problem:+$problem; }Depends on: link each task to its scaffold, as [T1](T1.md)"
  case "$file" in *[!A-Za-z0-9._/-]*) name=$(printf '%s' "$file" | sed 's/[^A-Za-z0-9._/-]/_/g') ;; *) name=$file ;; esac
  if [ -n "$problem" ]; then
    failures=$((failures + 1))
    cases="$cases<testcase classname=\"scaffold-check\" name=\"$name\"><failure message=\"$problem\"/></testcase>"
    echo "FAIL $file: $problem"
  else
    cases="$cases<testcase classname=\"scaffold-check\" name=\"$name\"/>"
    echo "ok   $file"
  fi
done
printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="scaffold-check" tests="%s" failures="%s" errors="0" skipped="0">%s</testsuite>\n' \
  "$tests" "$failures" "$cases" > "$reports/TEST-scaffold-check-$$.xml"
[ "$tests" -eq 1 ] && noun=scaffold || noun=scaffolds
echo "$tests $noun checked, $failures failed"
[ "$failures" -eq 0 ]
