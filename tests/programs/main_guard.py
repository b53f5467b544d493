# Checks if __name__ == "__main__": and the value of __name__ in a script.
print(__name__)
def main():
    print("in main")
    return 0
if __name__ == "__main__":
    main()
    print("guard taken")
else:
    print("guard not taken")
if __name__ != "__main__":
    print("never")
print(__name__ == "__main__", len(__name__))
