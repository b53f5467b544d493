try:
    {}["a"]
except KeyError:
    raise AttributeError("clean") from None
