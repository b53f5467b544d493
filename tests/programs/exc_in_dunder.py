class Vec:
    def __init__(self, x):
        if x < 0:
            raise ValueError("negative component")
        self.x = x
    def __add__(self, other):
        if not isinstance(other, Vec):
            raise TypeError("Vec + " + type(other).__name__)
        return Vec(self.x + other.x)
    def __len__(self):
        raise RuntimeError("no len")
for args in [(1, 2), (1, -2)]:
    try:
        v = Vec(args[0]) + Vec(args[1])
        print(v.x)
    except ValueError as e:
        print("value", e)
try:
    Vec(1) + 5
except TypeError as e:
    print(e)
try:
    len(Vec(3))
except RuntimeError as e:
    print(e)
try:
    if Vec(2):
        print("truthy")
except RuntimeError as e:
    print("truth failed:", e)
