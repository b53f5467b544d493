class ConfigError(Exception):
    pass
def load(text):
    try:
        return int(text)
    except ValueError as e:
        raise ConfigError("bad config") from e
try:
    load("x")
except ConfigError as e:
    print(e, type(e.__cause__).__name__, e.__cause__, e.__suppress_context__)
    print(type(e.__context__).__name__)
try:
    try:
        {}[1]
    except KeyError:
        raise RuntimeError("hidden") from None
except RuntimeError as e:
    print(e, e.__cause__, e.__suppress_context__, type(e.__context__).__name__)
try:
    raise ValueError("v") from KeyError
except ValueError as e:
    print(repr(e.__cause__) if False else type(e.__cause__).__name__)
