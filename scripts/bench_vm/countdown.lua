-- bench-vm program: the Lua 5.4 equivalent of countdown.py.
--
-- Prints "elapsed <seconds>" around the call only and "result <final n>" (0). The timer is
-- os.clock(), the process's CPU time: Lua 5.4 has no monotonic wall clock in its standard
-- library, and for single-threaded work that never blocks CPU time equals wall time.
--   usage: lua5.4 countdown.lua [N]     (N = 20000000)

local function countdown(n)
  while n > 0 do
    n = n - 1
  end
  return n
end

-- math.tointeger keeps n an integer, as in Python (a float n would count in doubles).
local n = math.tointeger(tonumber(arg[1] or "20000000"))
assert(n, "N must be an integer")
local start = os.clock()
local result = countdown(n)
local elapsed = os.clock() - start
print(string.format("elapsed %.6f", elapsed))
print(string.format("result %d", result))
