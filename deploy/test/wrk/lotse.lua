-- One scenario of Lotse's caseworker load for wrk (make loadtest; deploy/test/loadtest.py).
-- LOTSE_LOAD_DATA names a Lua file loadtest.py writes: logged-in sessions (cookie, CSRF token,
-- API token) with the persons each may see and names to search for; LOTSE_SCENARIO picks what
-- this wrk process asks: search, person, journal, consent or api.
-- A request counts as failed when its answer is not what a working Lotse gives (200; a saved
-- journal entry redirects to the journal), besides wrk's own socket errors and timeouts.

local data = dofile(os.getenv("LOTSE_LOAD_DATA"))
local scenario = os.getenv("LOTSE_SCENARIO")
local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("id", thread_count)
  table.insert(threads, thread)
end

bad = 0
bad_status = 0
local turn = 0

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0) * 7919)
end

local function pick(list)
  return list[math.random(#list)]
end

local function page(path, session)
  return wrk.format("GET", path, { Cookie = session.cookie })
end

function request()
  turn = turn + 1
  local session = pick(data.sessions)
  if scenario == "search" then
    return page("/people/search/?q=" .. pick(session.terms), session)
  elseif scenario == "person" then
    return page("/people/p/" .. pick(session.persons) .. "/", session)
  elseif scenario == "consent" then
    return page("/consent/p/" .. pick(session.persons) .. "/", session)
  elseif scenario == "journal" then
    local body = "csrfmiddlewaretoken=" .. session.csrf
      .. "&kind=talk&category=housing&text=Lasttest%3A+Gespr%C3%A4ch&occurred_at=" .. data.now
    return wrk.format("POST", "/journal/p/" .. pick(session.persons) .. "/new/", {
      Cookie = session.cookie,
      ["Content-Type"] = "application/x-www-form-urlencoded",
      Origin = data.origin,
      Referer = data.origin .. "/",
    }, body)
  elseif scenario == "api" then
    local headers = { Authorization = "Bearer " .. session.token, Accept = "application/json" }
    if turn % 2 == 0 then
      return wrk.format("GET", "/api/v1/persons/" .. pick(session.persons), headers)
    end
    return wrk.format("GET", "/api/v1/persons?limit=20&q=" .. pick(session.terms), headers)
  end
  error("unknown LOTSE_SCENARIO " .. tostring(scenario))
end

function response(status, headers, body)
  local ok
  if scenario == "journal" then
    -- Saved: back to the person's journal (a login page or the form again would be a failure).
    ok = status == 302 and string.find(headers["Location"] or "", "/journal/p/", 1, true) ~= nil
  else
    ok = status == 200
  end
  if not ok then
    bad = bad + 1
    bad_status = status
  end
end

function done(summary, latency, requests)
  local failed, last_status = 0, 0
  for _, thread in ipairs(threads) do
    failed = failed + (thread:get("bad") or 0)
    if (thread:get("bad_status") or 0) ~= 0 then last_status = thread:get("bad_status") end
  end
  local percentiles = {}
  for step = 1, 999 do
    table.insert(percentiles, string.format("%d", latency:percentile(step / 10)))
  end
  local errors = summary.errors
  io.write(string.format(
    '{"scenario": "%s", "requests": %d, "duration_us": %d, "failed": %d, "last_failed_status": %d, '
      .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, '
      .. '"max_us": %d, "percentiles_us": [%s]}\n',
    scenario, summary.requests, summary.duration, failed, last_status,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency.max, table.concat(percentiles, ", ")))
end
