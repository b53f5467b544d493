class AppError(Exception):
    def __init__(self, msg, code):
        super().__init__(msg)
        self.code = code

class DbError(AppError):
    pass

e = DbError("db down", 503)
print(e.args, e.code, str(e), isinstance(e, AppError), isinstance(e, Exception))
print([AppError("x", 1)])
