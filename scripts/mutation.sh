#!/usr/bin/env bash
# Mutation testing of the Engine: Stryker.NET changes src/Parley.Engine one small mistake at a time and runs
# tests/Parley.Engine.Tests against each; a mistake no test notices "survives". Fails when the score is below the
# break threshold in tests/Parley.Engine.Tests/stryker-config.json. The HTML report lands in
# TestResults/mutation/reports/mutation-report.html. Not part of ./test.sh: the full run takes about 15 minutes on
# 2 cores. Extra arguments go to Stryker, e.g. one file while working on it:
#   scripts/mutation.sh -m "**/Webhooks/WebhookSignature.cs"
# With --server-stages first, it mutates instead the turn stages that live in src/Parley.Server and runs the HTTP
# tests of turns against them (tests/Parley.Server.Tests/stryker-config.json); the report lands in the same place.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
output="$root/TestResults/mutation"
rm -rf "$output"

tests=tests/Parley.Engine.Tests
if [ "${1:-}" = "--server-stages" ]; then
  tests=tests/Parley.Server.Tests
  shift
fi

dotnet tool restore >/dev/null
cd "$tests"
status=0
dotnet dotnet-stryker --config-file stryker-config.json --output "$output" "$@" || status=$?

report="$output/reports/mutation-report.json"
if [ -f "$report" ] && command -v python3 >/dev/null; then
  python3 - "$report" <<'PY'
import json, sys
files = json.load(open(sys.argv[1]))["files"]
total = {}
rows = []
for name, f in sorted(files.items()):
    counts = {}
    for m in f["mutants"]:
        counts[m["status"]] = counts.get(m["status"], 0) + 1
    for k, v in counts.items():
        total[k] = total.get(k, 0) + v
    detected = counts.get("Killed", 0) + counts.get("Timeout", 0)
    valid = detected + counts.get("Survived", 0) + counts.get("NoCoverage", 0)
    if valid:
        rows.append((100 * detected / valid, name.split("/src/")[-1].removeprefix("Parley.Engine/"), counts))
for score, name, c in sorted(rows):
    print(f"{score:6.1f}%  {name}  killed {c.get('Killed', 0)}, survived {c.get('Survived', 0)}, "
          f"no coverage {c.get('NoCoverage', 0)}, timeout {c.get('Timeout', 0)}")
detected = total.get("Killed", 0) + total.get("Timeout", 0)
valid = detected + total.get("Survived", 0) + total.get("NoCoverage", 0)
print(f"Mutation score {100 * detected / max(valid, 1):.2f}%: killed {total.get('Killed', 0)}, "
      f"survived {total.get('Survived', 0)}, no coverage {total.get('NoCoverage', 0)}, "
      f"timeout {total.get('Timeout', 0)}, ignored {total.get('Ignored', 0)}, "
      f"compile errors {total.get('CompileError', 0)}")
PY
fi
echo "HTML report: TestResults/mutation/reports/mutation-report.html"
exit $status
