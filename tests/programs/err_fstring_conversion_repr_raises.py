# !r calls __repr__: its error comes out of the f-string, with the field's line.
class Broken:
    def __repr__(self):
        raise ValueError("no repr for you")


b = Broken()
print(f"{b!s:>3}" if False else "before")
print(f"value: {b!r}")
