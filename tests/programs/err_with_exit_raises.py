class CM:
    def __enter__(self):
        return self
    def __exit__(self, t, v, tb):
        raise KeyError("exit")
with CM():
    1 / 0
