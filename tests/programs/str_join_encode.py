# join over iterables of strs, and encode.
print(",".join(["a", "b"]), "".join("xyz"), "-".join(map(str, range(4))), " ".join(()), "é".join(["a", "b"]))
print(", ".join(sorted({"b": 1, "a": 2})), "".join(reversed("abc")), "+".join(filter(None, ["", "x", "", "y"])))
print("héllo".encode(), "abc".encode("utf-8"), "x".encode())
