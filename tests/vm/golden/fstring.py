# f-strings: literal parts, plain fields, fields with format specs and conversions (!r, !a).
def row(name, count, ratio):
    return f"{name:<8}|{count:>6,}|{ratio:.3f}|{count}|{name!r:>10}"


total = 1234567
print(row("alpha", total, 0.5))
print(f"total={total} half={total / 2:.1f} {{braces}} {'é'!a}")
