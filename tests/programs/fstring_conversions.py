# f-string conversions: !r, !s and !a, alone and with a format spec, on built-in values and on
# instances with their own __repr__ / __str__.
class Money:
    def __init__(self, cents):
        self.cents = cents

    def __repr__(self):
        return f"Money({self.cents!r})"

    def __str__(self):
        return f"${self.cents / 100:.2f}"


m = Money(1234)
name = "café"
items = [1, "two", 3.0, None, (4,)]
print(f"{m} {m!s} {m!r} {m!a}")
print(f"{name!r} {name!s} {name!a} {name!r:>12}|{name!a:<14}|")
print(f"{items!r}")
print(f"{items!a:.12}")
print(f"{3!r:>5} {2.5!r:^9} {True!s:*<7} {None!r}")
tab = "tab\t"
print(f"{chr(39)!r} {chr(34)!r} {tab!r} {tab!a}")
print(f"{ {'k': m}!r}")
print(f"[{name!r:>10}] [{m!s:^12}] [{m!r:_>14}]")
