class CM:
    def __enter__(self):
        print("in")
    def __exit__(self, t, v, tb):
        print("out", t.__name__)
with CM():
    [1, 2][7]
