-- wrk script: every request asks for a different article, a random id in [first, last].
-- Usage: wrk ... -s bench/article_cold.lua http://127.0.0.1:PORT -- FIRST LAST

local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  first = tonumber(args[1])
  last = tonumber(args[2])
  -- Each thread has its own Lua state: seed each differently.
  math.randomseed(os.time() * 1000 + (id or 0))
end

function request()
  return wrk.format("GET", "/article/" .. math.random(first, last) .. "/")
end
