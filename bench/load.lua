-- wrk script for bench/load.sh: POSTs the request bodies named after `--` to /fhir/$assess in turn, as
-- application/fhir+json, and counts every answer that is not 2xx. Loopback only: load.sh passes http://127.0.0.1:PORT.
-- With `--fresh` first (load.sh --fresh), every request is made new: the body's ids and values change per request
-- exactly as BenchData.Fresh does in the in-process benchmark (fullUrls and references, a new id for every resource,
-- MRN, birth year, valueInteger, effectiveDateTime), so that the service never sees the same resource twice.
-- With `--fresh-texts` first (load.sh --fresh-texts), also every "text" (a CodeableConcept's text or a note) gets the
-- request number appended, as BenchData.FreshTexts does: another patient's words beside the same codes.
-- With `--declared` first (load.sh --declared), `--fresh-texts` and also a US Core profile declared in meta.profile of
-- the Bundle and every resource in it, as BenchData.Declared does: a record as a US EHR sends it.
local bodies = {}
local threads = {}
local fresh = false
local texts = false
local declared = false

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_index", #threads)
end

-- The body made new for request number n (the same transformation as BenchData.Fresh).
local function make_fresh(body, n)
  local hex = string.format("%x", n)
  local k = -1
  body = body:gsub("urn:uuid:00000001%-", "urn:uuid:" .. string.format("%08x", n) .. "-")
  body = body:gsub('"resourceType": *"(%a+)",', function(t)
    k = k + 1
    return '"resourceType": "' .. t .. '", "id": "r' .. hex .. "-" .. k .. '",'
  end)
  body = body:gsub('"value": *"EX%-%d+"', '"value": "EX-' .. n .. '"')
  body = body:gsub('"birthDate": *"%d%d%d%d%-', '"birthDate": "19' .. (40 + n % 50) .. "-")
  body = body:gsub('"valueInteger": *%d+', '"valueInteger": ' .. (n % 5))
  body = body:gsub('"effectiveDateTime": *"2026%-03%-%d%d"', string.format('"effectiveDateTime": "2026-03-%02d"', 1 + n % 12))
  if texts then
    -- The same transformation as BenchData.FreshTexts: " #n" before the closing quote of every "text" string.
    body = body:gsub('("text": *"[^"<]*)"', '%1 #' .. n .. '"')
  end
  if declared then
    body = body:gsub('"resourceType": "(%a+)",', function(t)
      if t == "Parameters" then
        return nil
      end
      return '"resourceType": "' .. t .. '", "meta": {"profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-' .. t:lower() .. '"]},'
    end)
  end
  return body
end

local headers = {
  ["Content-Type"] = "application/fhir+json",
  ["Accept"] = "application/fhir+json",
}

function init(args)
  for _, path in ipairs(args) do
    if path == "--fresh" then
      fresh = true
      goto continue
    end
    if path == "--fresh-texts" then
      fresh = true
      texts = true
      goto continue
    end
    if path == "--declared" then
      fresh = true
      texts = true
      declared = true
      goto continue
    end
    local f = assert(io.open(path, "rb"))
    table.insert(bodies, f:read("*a"))
    f:close()
    ::continue::
  end
  assert(#bodies > 0, "load.lua: give at least one body file after --")
  requests = {}
  for i, body in ipairs(bodies) do
    requests[i] = wrk.format("POST", "/fhir/$assess", headers, body)
  end
  counter = 0
  non2xx = 0
  -- Request numbers: interleaved between wrk's threads, and offset by the second the run started, so that the warm-up
  -- run and the measured run (and runs against the same service) do not send the same bodies; below 2^32 (8 hex digits).
  base = 0x10000000 + (os.time() % 0xE0) * 0x1000000
end

function request()
  counter = counter + 1
  if fresh then
    return wrk.format("POST", "/fhir/$assess", headers, make_fresh(bodies[(counter % #bodies) + 1], base + counter * 16 + (thread_index or 1)))
  end
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
