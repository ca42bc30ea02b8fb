#!/usr/bin/env bash
# Runs the BoneMetRT service on http://127.0.0.1:8080 and shows it answering $assess on an example.
set -euo pipefail
cd "$(dirname "$0")"
url="${BONEMETRT_URL:-http://127.0.0.1:8080}"
example="${1:-examples/valid/fracture-femur-mirels-8.json}"

if ! command -v curl >/dev/null 2>&1; then
  echo "run.sh shows the service answering with curl, which is missing." >&2
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq curl >/dev/null
  else
    echo "Install curl (e.g. sudo apt-get install curl) and run again." >&2; exit 1
  fi
fi

dotnet build src/BoneMetRT.Api -c Release -nologo -v quiet
dotnet run --project src/BoneMetRT.Api -c Release --no-build --urls "$url" &
service=$!
trap 'kill $service 2>/dev/null' INT TERM EXIT

for _ in $(seq 1 100); do
  curl -fs "$url/health" >/dev/null 2>&1 && break
  sleep 0.2
done

echo
echo "POST $url/fhir/\$assess  <  $example"
curl -s -X POST "$url/fhir/\$assess" -H 'Content-Type: application/fhir+json' --data-binary @"$example" -o /tmp/bonemetrt-answer.json -w 'HTTP %{http_code}\n'
# A short summary of the answer (the full Bundle is in /tmp/bonemetrt-answer.json).
grep -o '"resourceType":"[A-Za-z]*"' /tmp/bonemetrt-answer.json | sed 's/"resourceType":"\(.*\)"/\1/' | sort | uniq -c | sed 's/^/  /' || true
echo "Titles of the resources' narratives:"
grep -o '<p><b>[^<]*' /tmp/bonemetrt-answer.json | sed 's/<p><b>/  - /' || true
echo
echo "Full answer: /tmp/bonemetrt-answer.json. The service keeps running on $url (Ctrl-C to stop)."
wait $service
