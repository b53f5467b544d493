# Methods of module-level classes and built-ins as tasks.
import math
from multiprocessing import Pool


class Scaler:
    def __init__(self, k):
        self.k = k

    def scale(self, x):
        return self.k * x


if __name__ == "__main__":
    s = Scaler(3)
    with Pool(2) as pool:
        print(pool.map(s.scale, [1, 2, 3]))
        print(pool.map(math.sqrt, [4, 9]))
        print(pool.map(abs, [-1, 2]))
        print(pool.starmap(divmod, [(7, 2), (9, 4)]))
