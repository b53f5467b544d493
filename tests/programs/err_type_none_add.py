# Checks None + int (a function that forgot to return) raises TypeError with NoneType in the message.
def forgot(x):
    y = x * 2
print(forgot(1))
print(forgot(2) + 1)
