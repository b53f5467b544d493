-- bench-vm program: the Lua 5.4 equivalent of factorize.py.
--
-- factorize is a coroutine-based generator (coroutine.wrap + coroutine.yield), the closest match
-- to Python's generator function; as in the Python program, each number's divisors are collected
-- into a table (list(...)) and then summed (sum(...)). Prints "elapsed <seconds>" around the work
-- only and "result <sum of all divisors of all numbers>". The timer is os.clock(), the process's
-- CPU time: Lua 5.4 has no monotonic wall clock in its standard library, and for single-threaded
-- work that never blocks CPU time equals wall time.
--   usage: lua5.4 factorize.lua [NUMBER...]     (default: 2139079 1214759 1516637 1582285)

local function factorize(number)
  return coroutine.wrap(function()
    for i = 1, number do
      if number % i == 0 then
        coroutine.yield(i)
      end
    end
  end)
end

local numbers = { 2139079, 1214759, 1516637, 1582285 }
if #arg > 0 then
  numbers = {}
  for k = 1, #arg do
    numbers[k] = math.tointeger(tonumber(arg[k]))
    assert(numbers[k], "NUMBER must be an integer")
  end
end

local start = os.clock()
local total = 0
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
print(string.format("result %d", total))
