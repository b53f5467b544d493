# A method does not see the class body's names: they are not an enclosing scope.
class Config:
    quantity = 3

    def double(self):
        return quantity * 2


print(Config.quantity)
print(Config().double())
