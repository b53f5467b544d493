-- bench-vm program: the Lua 5.4 equivalent of countdown.py.
--
-- Runs countdown(n) RUNS times and prints "elapsed <seconds>" around each call only, then
-- "result <final n>" (0). The timer is os.clock(), the process's CPU time: Lua 5.4 has no
-- monotonic wall clock in its standard library, and for single-threaded work that never blocks
-- CPU time equals wall time.
--   usage: lua5.4 countdown.lua [--runs RUNS] [N]     (RUNS = 1, N = 20000000)

local function countdown(n)
  while n > 0 do
    n = n - 1
  end
  return n
end

local args = { table.unpack(arg) }
local runs = 1
if #args >= 2 and args[1] == "--runs" then
  runs = math.tointeger(tonumber(args[2]))
  assert(runs, "RUNS must be an integer")
  table.remove(args, 1)
  table.remove(args, 1)
end
-- math.tointeger keeps n an integer, as in Python (a float n would count in doubles).
local n = math.tointeger(tonumber(args[1] or "20000000"))
assert(n, "N must be an integer")
local result
for _ = 1, runs do
  local start = os.clock()
  result = countdown(n)
  local elapsed = os.clock() - start
  print(string.format("elapsed %.6f", elapsed))
end
print(string.format("result %d", result))
