class Account:
    def __init__(self):
        self.balance = 0
    def withdraw(self, n):
        if n > self.balance:
            raise ValueError("insufficient funds: " + str(self.balance))
        self.balance -= n
Account().withdraw(5)
