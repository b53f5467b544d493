# Checks the traceback line of an error raised inside `if a == b:` at the end of a for body
# (compiled after the loop in gilvm), after the loop has run several times.


def scan(items):
    for item in items:
        if item == 3:
            print("found", item)
            print(1 // (item - 3))


scan([1, 2, 3, 4])
