# bench-vm program: an object-heavy bank simulation, single-threaded, timed inside.
#
# ACCOUNTS accounts (instances of Account) trade money for ROUNDS rounds of TRANSFERS transfers
# each. Every transfer draws its accounts, amount and category from a small linear congruential
# generator (an Rng instance, so three method calls); Bank.transfer calls Account.withdraw and
# Account.deposit, which update attributes. A withdrawal larger than the balance raises
# InsufficientFunds (a subclass of Exception with an attribute of its own), which the loop catches
# -- about one transfer in four. Each accepted transfer is counted per category in a dict
# (counts[k] = counts.get(k, 0) + 1). At the end of each round a list comprehension picks the
# numbers of the accounts holding at least RICH, which go into a running checksum.
#
# Does the work RUNS times in this process, each time from the same start, and prints
# "elapsed <seconds>" for each run (time.perf_counter() around the work only: interpreter start-up
# and compilation are excluded), then "result <checksum>", which scripts/bench-vm checks against
# its own plain-Python reference (objects_reference) before it accepts the timings. Runs unchanged
# under gilvm and python3 (the subset of docs/language.md only); objects.lua is its Lua twin.
#   usage: objects.py [--runs RUNS] [ROUNDS]     (RUNS = 1, ROUNDS = 1500)
import sys
import time

ACCOUNTS = 64
TRANSFERS = 1000  # per round
OPENING_BALANCE = 100
MAX_AMOUNT = 60
RICH = 150
CATEGORIES = ["rent", "food", "travel", "books", "tools", "music", "gifts"]
MODULUS = 1000000007


class Rng:
    """A linear congruential generator (the constants of C's rand example), the same in Lua."""

    def __init__(self, seed):
        self.state = seed

    def below(self, n):
        self.state = (self.state * 1103515245 + 12345) & 0x7FFFFFFF
        return (self.state >> 16) % n


class InsufficientFunds(Exception):
    def __init__(self, account, amount):
        super().__init__(account.number, amount)
        self.shortfall = amount - account.balance


class Account:
    def __init__(self, number, balance):
        self.number = number
        self.balance = balance
        self.ops = 0

    def deposit(self, amount):
        self.balance += amount
        self.ops += 1

    def withdraw(self, amount):
        if amount > self.balance:
            raise InsufficientFunds(self, amount)
        self.balance -= amount
        self.ops += 1


class Bank:
    def __init__(self, n, balance):
        self.accounts = [Account(i, balance) for i in range(n)]
        self.moved = 0

    def transfer(self, src, dst, amount):
        src.withdraw(amount)
        dst.deposit(amount)
        self.moved += amount


def simulate(rounds):
    rng = Rng(12345)
    bank = Bank(ACCOUNTS, OPENING_BALANCE)
    accounts = bank.accounts
    counts = {}
    declined = 0
    shortfall = 0
    checksum = 0
    for _ in range(rounds):
        for _ in range(TRANSFERS):
            src = accounts[rng.below(ACCOUNTS)]
            dst = accounts[rng.below(ACCOUNTS)]
            amount = rng.below(MAX_AMOUNT) + 1
            category = CATEGORIES[amount % len(CATEGORIES)]
            try:
                bank.transfer(src, dst, amount)
                counts[category] = counts.get(category, 0) + 1
            except InsufficientFunds as e:
                declined += 1
                shortfall += e.shortfall
        rich = [a.number for a in accounts if a.balance >= RICH]
        checksum = (checksum * 31 + sum(rich) + len(rich)) % MODULUS
    for a in accounts:
        checksum = (checksum * 31 + a.balance * 7 + a.ops) % MODULUS
    for i in range(len(CATEGORIES)):
        checksum = (checksum * 31 + (i + 1) * counts.get(CATEGORIES[i], 0)) % MODULUS
    return (checksum * 31 + declined * 3 + shortfall + bank.moved) % MODULUS


def main():
    args = sys.argv[1:]
    runs = 1
    if len(args) >= 2 and args[0] == "--runs":
        runs = int(args[1])
        args = args[2:]
    rounds = 1500
    if len(args) > 0:
        rounds = int(args[0])
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = simulate(rounds)
        elapsed = time.perf_counter() - start
        print("elapsed %.6f" % elapsed)
    print("result %d" % result)


if __name__ == "__main__":
    main()
