def f(x):
    try:
        r = 10 // x
    except ZeroDivisionError:
        print("except")
        r = -1
    else:
        print("else", r)
    finally:
        print("finally")
    return r
print(f(2))
print(f(0))
