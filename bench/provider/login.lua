-- wrk script: mints authorization codes through real sandbox logins (not timed).
--
--   wrk -t2 -c32 -d30s -s login.lua http://host:port -- AUTHORIZE_PATH PERSON OUT_PREFIX QUOTA
--
-- Each login is GET AUTHORIZE_PATH (a fresh transaction: login page with txn, csrf field and
-- csrf cookie), then POST /login with the chosen person, whose 303 Location carries the code.
-- Requests are not tied to connections, so a thread keeps a queue of logins whose page has
-- arrived and sends their POSTs first. A thread starts up to 5% more logins than QUOTA (a timed
-- out request loses its login) and, with nothing to send, idles a few milliseconds on /healthz.
-- Each thread collects QUOTA codes, writes them to OUT_PREFIX.<thread> (one per line) and stops;
-- run.sh interrupts wrk once every file exists. done() writes the files of threads cut short by -d.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  threads[#threads + 1] = thread
end

function init(args)
  authorize = wrk.format("GET", args[1])
  person = args[2]
  out_path = args[3] .. "." .. tid
  quota = tonumber(args[4])
  limit = quota + math.ceil(quota * 0.05) + 16
  idle = wrk.format("GET", "/healthz")
  posts = {}
  codes = {}
  started, failed, written = 0, 0, 0
end

function delay()
  if #posts > 0 or started < limit then return 0 end
  return 5
end

function request()
  local n = #posts
  if n > 0 then
    local r = posts[n]
    posts[n] = nil
    return r
  end
  if started < limit then
    started = started + 1
    return authorize
  end
  return idle
end

local function write_codes()
  local f = io.open(out_path, "w")
  f:write(table.concat(codes, "\n"), "\n")
  f:close()
  written = 1
end

function response(status, headers, body)
  if status == 200 then
    local txn = body:match('name="txn" value="([^"]*)"')
    if txn == nil then return end -- /healthz
    local csrf = body:match('name="csrf" value="([^"]*)"')
    local cookie = (headers["Set-Cookie"] or ""):match("^(accord_csrf=[^;]*)")
    posts[#posts + 1] = wrk.format("POST", "/login", {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = cookie,
    }, "txn=" .. txn .. "&csrf=" .. csrf .. "&person=" .. person)
    return
  end
  local code = status == 303 and (headers["Location"] or ""):match("[?&]code=([^&]*)")
  if code then
    codes[#codes + 1] = code
  else
    failed = failed + 1
    if failed <= 3 then io.stderr:write("login.lua: HTTP " .. status .. " " .. body .. "\n") end
  end
  if written == 0 and #codes >= quota then
    write_codes()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local total, bad = 0, 0
  for _, t in ipairs(threads) do
    if t:get("written") == 0 then
      local f = io.open(t:get("out_path"), "w")
      f:write(table.concat(t:get("codes"), "\n"), "\n")
      f:close()
    end
    total = total + #t:get("codes")
    bad = bad + t:get("failed")
  end
  io.write(string.format("MINTED codes=%d failed=%d\n", total, bad))
end
