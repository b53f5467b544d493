-- bench-vm program: the Lua 5.4 equivalent of factorize.py.
--
-- factorize is a coroutine-based generator (coroutine.wrap + coroutine.yield), the closest match
-- to Python's generator function; as in the Python program, each number's divisors are collected
-- into a table (list(...)) and then summed (sum(...)). Does the work RUNS times and prints
-- "elapsed <seconds>" around each run only, then "result <sum of all divisors of all numbers>".
-- The timer is os.clock(), the process's CPU time: Lua 5.4 has no monotonic wall clock in its
-- standard library, and for single-threaded work that never blocks CPU time equals wall time.
--   usage: lua5.4 factorize.lua [--runs RUNS] [NUMBER...]
--          (RUNS = 1; default numbers 2139079 1214759 1516637 1582285)

local function factorize(number)
  return coroutine.wrap(function()
    for i = 1, number do
      if number % i == 0 then
        coroutine.yield(i)
      end
    end
  end)
end

local args = { table.unpack(arg) }
local runs = 1
if #args >= 2 and args[1] == "--runs" then
  runs = math.tointeger(tonumber(args[2]))
  assert(runs, "RUNS must be an integer")
  table.remove(args, 1)
  table.remove(args, 1)
end
local numbers = { 2139079, 1214759, 1516637, 1582285 }
if #args > 0 then
  numbers = {}
  for k = 1, #args do
    numbers[k] = math.tointeger(tonumber(args[k]))
    assert(numbers[k], "NUMBER must be an integer")
  end
end

local total
for _ = 1, runs do
  local start = os.clock()
  total = 0
  for _, number in ipairs(numbers) do
    local divisors = {}
    for d in factorize(number) do
      divisors[#divisors + 1] = d
    end
    local s = 0
    for k = 1, #divisors do
      s = s + divisors[k]
    end
    total = total + s
  end
  local elapsed = os.clock() - start
  print(string.format("elapsed %.6f", elapsed))
end
print(string.format("result %d", total))
