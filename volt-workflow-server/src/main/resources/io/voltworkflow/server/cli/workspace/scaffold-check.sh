#!/bin/sh
# Validation of a workspace created by 'volt run' / 'volt serve': each task scaffold written by the built-in code
# generator must have a title, an "Acceptance criteria" section and at least one criterion. One JUnit test case per
# scaffold, in build/test-results/scaffold/ (where Volt Workflow's built-in validation reads reports).
set -u
reports=build/test-results/scaffold
mkdir -p "$reports"
tmp="$reports/.TEST-scaffold-$$.xml.tmp"
cases=""
tests=0
failures=0
for file in volt-scaffold/*/*.md; do
  [ -f "$file" ] || continue
  tests=$((tests + 1))
  name=$(printf '%s' "$file" | sed 's/[^A-Za-z0-9._/-]/_/g')
  problem=""
  head -n 1 "$file" | grep -q '^# ' || problem="no title line"
  grep -q '^## Acceptance criteria' "$file" || problem="${problem:+$problem; }no 'Acceptance criteria' section"
  grep -q '^- \[ \] ' "$file" || problem="${problem:+$problem; }no acceptance criterion"
  if [ -n "$problem" ]; then
    failures=$((failures + 1))
    cases="$cases<testcase classname=\"scaffold\" name=\"$name\"><failure message=\"$problem\"/></testcase>"
    echo "FAIL $file: $problem"
  else
    cases="$cases<testcase classname=\"scaffold\" name=\"$name\"/>"
    echo "ok   $file"
  fi
done
printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="scaffold" tests="%s" failures="%s" errors="0" skipped="0">%s</testsuite>\n' \
  "$tests" "$failures" "$cases" > "$tmp"
mv "$tmp" "$reports/TEST-scaffold-$$.xml"
echo "$tests scaffolds checked, $failures failed"
[ "$failures" -eq 0 ]
