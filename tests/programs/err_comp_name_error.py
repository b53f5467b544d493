def f():
    return [undefined_name for _ in range(2)]

f()
