def g():
    try:
        raise ValueError("inside generator")
    except ValueError:
        yield 1
        try:
            raise
        except ValueError as e:
            print("generator re-raised its own:", e)
        yield 2
for x in g():
    print("got", x)
    try:
        raise
    except RuntimeError as e:
        print("consumer has none:", e)
    try:
        raise KeyError(x)
    except KeyError as k:
        print("context:", k.__context__)
