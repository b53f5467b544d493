def g():
    try:
        try:
            [][1]
        except KeyError:
            print("inner wrong")
        finally:
            print("inner finally")
    except IndexError as e:
        print("outer", e)
    try:
        try:
            1 / 0
        except ZeroDivisionError:
            print("inner handles")
            int("x")
    except ValueError as e:
        print("outer handles", e)
g()
