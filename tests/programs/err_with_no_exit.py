class Half:
    def __enter__(self):
        return 1
with Half() as h:
    print(h)
