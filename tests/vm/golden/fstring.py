# f-strings: literal parts, plain fields, and fields with format specs.
def row(name, count, ratio):
    return f"{name:<8}|{count:>6,}|{ratio:.3f}|{count}"


total = 1234567
print(row("alpha", total, 0.5))
print(f"total={total} half={total / 2:.1f} {{braces}}")
