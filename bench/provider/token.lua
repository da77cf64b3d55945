-- wrk script: POST one pre-built form body per request to the token endpoint.
--
--   wrk -t2 -c64 -d8s -s token.lua http://host:port/token -- BODIES_FILE THREADS MARKER_PREFIX
--
-- Thread i (of n) sends lines i, i+n, i+2n, ... of BODIES_FILE (each body is used once: codes and
-- client assertion jtis are single use). A thread that runs out stops and records when, so the
-- rate is computed from the time the threads actually ran (wrk's own req/s divides by the full -d
-- duration); it also creates MARKER_PREFIX.<thread> so run.sh can interrupt wrk at once. done()
-- prints one line (rate = all 2xx responses / (last response - first request), over all threads):
--   RESULT ok=<2xx count> bad=<other status count> rate=<ok per second> exhausted=<threads that ran out>
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec* tp);
]]
local ts = ffi.new("bench_timespec")
local function now()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  threads[#threads + 1] = thread
end

function init(args)
  nthreads = tonumber(args[2])
  requests = {}
  local i = 0
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  for line in io.lines(args[1]) do
    if line ~= "" then
      if i % nthreads == tid then
        requests[#requests + 1] = wrk.format("POST", wrk.path, headers, line)
      end
      i = i + 1
    end
  end
  marker = args[3] .. "." .. tid
  next_index = 1
  ok, bad, exhausted = 0, 0, 0
  t_start, t_end = 0, 0
end

function request()
  if t_start == 0 then t_start = now() end
  local r = requests[next_index]
  if r == nil then
    -- Out of bodies: stop this thread. A request must still be returned; it is never sent.
    if exhausted == 0 then
      exhausted = 1
      t_end = now()
      io.open(marker, "w"):close()
      wrk.thread:stop()
    end
    return requests[#requests]
  end
  next_index = next_index + 1
  return r
end

function response(status, headers, body)
  if exhausted == 1 then return end
  if status >= 200 and status < 300 then
    ok = ok + 1
  else
    bad = bad + 1
    if bad <= 3 then io.stderr:write("token.lua: HTTP " .. status .. " " .. body .. "\n") end
  end
  t_end = now()
end

function done(summary, latency, requests)
  local total_ok, total_bad, ran_out, first, last = 0, 0, 0, math.huge, 0
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_bad = total_bad + t:get("bad")
    ran_out = ran_out + t:get("exhausted")
    if t:get("t_start") > 0 then first = math.min(first, t:get("t_start")) end
    last = math.max(last, t:get("t_end"))
  end
  local rate = last > first and total_ok / (last - first) or 0
  io.write(string.format("RESULT ok=%d bad=%d rate=%.1f exhausted=%d p50_ms=%.2f p99_ms=%.2f\n",
    total_ok, total_bad, rate, ran_out, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
