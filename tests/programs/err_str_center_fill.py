print("a".center(3, "*"))
print("a".center(5, "ab"))
