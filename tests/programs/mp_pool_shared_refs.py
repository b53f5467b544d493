# Shared and cyclic references survive the trip, as pickle's memo keeps them.
from multiprocessing import Pool


def check(v):
    a, b = v
    return a is b


def cyclic(n):
    xs = list(range(n))
    xs.append(xs)
    return xs


if __name__ == "__main__":
    shared = [1, 2]
    with Pool(1) as pool:
        print(pool.apply(check, ((shared, shared),)))
        print(pool.apply(check, ((shared, [1, 2]),)))
        back = pool.apply(cyclic, (3,))
        print(back[3] is back, back[:3])
        d = {}
        d["me"] = d
        e = pool.apply(check, ((d, d["me"]),))
        print(e)
        # gilvm has no cycle collector: break the cycles (LeakSanitizer would report them).
        back.pop()
        d.clear()
