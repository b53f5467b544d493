try:
    int("q")
except KeyError:
    print("no")
except (IndexError, TypeError):
    print("no")
