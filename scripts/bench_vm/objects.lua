-- bench-vm program: the Lua 5.4 equivalent of objects.py.
--
-- The same bank simulation, the same draws and the same checksum, written the Lua way: the
-- classes are tables with metatables (__index), methods are called with `:`, InsufficientFunds is
-- a table raised with error() and caught with pcall() around Bank:transfer (any other error is
-- raised again, as an `except InsufficientFunds` would let it through); the dict is a table
-- counted with `counts[k] = (counts[k] or 0) + 1`, and the list comprehension is a loop filling a
-- fresh table. Account numbers count from 0, as in Python. Does the work RUNS times and prints
-- "elapsed <seconds>" around each run only, then "result <checksum>". The timer is os.clock(), the
-- process's CPU time: Lua 5.4 has no monotonic wall clock in its standard library, and for
-- single-threaded work that never blocks CPU time equals wall time.
--   usage: lua5.4 objects.lua [--runs RUNS] [ROUNDS]     (RUNS = 1, ROUNDS = 1500)

local ACCOUNTS = 64
local TRANSFERS = 1000 -- per round
local OPENING_BALANCE = 100
local MAX_AMOUNT = 60
local RICH = 150
local CATEGORIES = { "rent", "food", "travel", "books", "tools", "music", "gifts" }
local MODULUS = 1000000007

-- A linear congruential generator (the constants of C's rand example), the same as in Python.
local Rng = {}
Rng.__index = Rng

function Rng.new(seed)
  return setmetatable({ state = seed }, Rng)
end

function Rng:below(n)
  self.state = (self.state * 1103515245 + 12345) & 0x7FFFFFFF
  return (self.state >> 16) % n
end

local InsufficientFunds = {}
InsufficientFunds.__index = InsufficientFunds

function InsufficientFunds.new(account, amount)
  return setmetatable({ number = account.number, amount = amount,
                        shortfall = amount - account.balance }, InsufficientFunds)
end

local Account = {}
Account.__index = Account

function Account.new(number, balance)
  return setmetatable({ number = number, balance = balance, ops = 0 }, Account)
end

function Account:deposit(amount)
  self.balance = self.balance + amount
  self.ops = self.ops + 1
end

function Account:withdraw(amount)
  if amount > self.balance then
    error(InsufficientFunds.new(self, amount))
  end
  self.balance = self.balance - amount
  self.ops = self.ops + 1
end

local Bank = {}
Bank.__index = Bank

function Bank.new(n, balance)
  local accounts = {}
  for i = 0, n - 1 do
    accounts[i + 1] = Account.new(i, balance)
  end
  return setmetatable({ accounts = accounts, moved = 0 }, Bank)
end

function Bank:transfer(src, dst, amount)
  src:withdraw(amount)
  dst:deposit(amount)
  self.moved = self.moved + amount
end

local function simulate(rounds)
  local rng = Rng.new(12345)
  local bank = Bank.new(ACCOUNTS, OPENING_BALANCE)
  local accounts = bank.accounts
  local counts = {}
  local declined = 0
  local shortfall = 0
  local checksum = 0
  for _ = 1, rounds do
    for _ = 1, TRANSFERS do
      local src = accounts[rng:below(ACCOUNTS) + 1]
      local dst = accounts[rng:below(ACCOUNTS) + 1]
      local amount = rng:below(MAX_AMOUNT) + 1
      local category = CATEGORIES[amount % #CATEGORIES + 1]
      local ok, err = pcall(bank.transfer, bank, src, dst, amount)
      if ok then
        counts[category] = (counts[category] or 0) + 1
      elseif getmetatable(err) == InsufficientFunds then
        declined = declined + 1
        shortfall = shortfall + err.shortfall
      else
        error(err, 0)
      end
    end
    local rich = {}
    for _, a in ipairs(accounts) do
      if a.balance >= RICH then
        rich[#rich + 1] = a.number
      end
    end
    local total = 0
    for k = 1, #rich do
      total = total + rich[k]
    end
    checksum = (checksum * 31 + total + #rich) % MODULUS
  end
  for _, a in ipairs(accounts) do
    checksum = (checksum * 31 + a.balance * 7 + a.ops) % MODULUS
  end
  for i = 1, #CATEGORIES do
    checksum = (checksum * 31 + i * (counts[CATEGORIES[i]] or 0)) % MODULUS
  end
  return (checksum * 31 + declined * 3 + shortfall + bank.moved) % MODULUS
end

local args = { table.unpack(arg) }
local runs = 1
if #args >= 2 and args[1] == "--runs" then
  runs = math.tointeger(tonumber(args[2]))
  assert(runs, "RUNS must be an integer")
  table.remove(args, 1)
  table.remove(args, 1)
end
local rounds = math.tointeger(tonumber(args[1] or "1500"))
assert(rounds, "ROUNDS must be an integer")
local result
for _ = 1, runs do
  local start = os.clock()
  result = simulate(rounds)
  local elapsed = os.clock() - start
  print(string.format("elapsed %.6f", elapsed))
end
print(string.format("result %d", result))
