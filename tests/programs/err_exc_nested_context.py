try:
    [][0]
except IndexError:
    try:
        {}[0]
    except KeyError:
        int("zz")
