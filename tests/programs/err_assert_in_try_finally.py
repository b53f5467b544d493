try:
    assert 1 == 2, "math broke"
finally:
    print("finally")
