-- wrk script: every request asks for an article nobody asked for yet in this run.
-- Usage: wrk ... -s bench/article_cold.lua http://127.0.0.1:PORT -- FIRST LAST START STRIDE THREADS
-- The n-th request of the run (over all threads) asks for the id at position START + n of
-- the walk FIRST + (position * STRIDE) mod (LAST - FIRST + 1): STRIDE shares no factor with
-- the span, so no id comes twice until every one has come once (bench/load.py keeps START
-- moving from one run to the next).

local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  first = tonumber(args[1])
  span = tonumber(args[2]) - first + 1
  start = tonumber(args[3])
  stride = tonumber(args[4])
  threads = tonumber(args[5])
  sent = 0
end

function request()
  local position = start + sent * threads + (id - 1)
  sent = sent + 1
  return wrk.format("GET", "/article/" .. (first + (position * stride) % span) .. "/")
end
