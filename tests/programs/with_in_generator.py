class CM:
    def __enter__(self):
        print("enter")
        return 10
    def __exit__(self, t, v, tb):
        print("exit", t)
def gen():
    with CM() as base:
        for i in range(3):
            yield base + i
print(list(gen()))
