def inner():
    raise
try:
    try:
        raise ValueError("outer handled")
    except ValueError:
        inner()
except ValueError as e:
    print("bare raise in callee re-raises the handled one:", e)
try:
    inner()
except RuntimeError as e:
    print(e)
