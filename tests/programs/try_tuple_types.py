for v in [0, "a", None, [1]]:
    try:
        if v == 0:
            1 / v
        elif v == "a":
            int(v)
        elif v is None:
            v.foo
        else:
            v[5]
    except (ZeroDivisionError, ValueError) as e:
        print("arith/value", type(e).__name__, e)
    except (AttributeError, IndexError) as e:
        print("attr/index", type(e).__name__, e)
