-- wrk script for bench/load.sh: POSTs the request bodies named after `--` to /fhir/$assess in turn, as
-- application/fhir+json, and counts every answer that is not 2xx. Loopback only: load.sh passes http://127.0.0.1:PORT.
local bodies = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for _, path in ipairs(args) do
    local f = assert(io.open(path, "rb"))
    table.insert(bodies, f:read("*a"))
    f:close()
  end
  assert(#bodies > 0, "load.lua: give at least one body file after --")
  requests = {}
  for i, body in ipairs(bodies) do
    requests[i] = wrk.format("POST", "/fhir/$assess", {
      ["Content-Type"] = "application/fhir+json",
      ["Accept"] = "application/fhir+json",
    }, body)
  end
  counter = 0
  non2xx = 0
end

function request()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local non = 0
  for _, t in ipairs(threads) do
    non = non + (t:get("non2xx") or 0)
  end
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    non, e.connect + e.read + e.write + e.timeout))
end
