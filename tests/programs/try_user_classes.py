class AppError(Exception):
    pass
class DbError(AppError):
    def __init__(self, table):
        super().__init__("db failure in " + table)
        self.table = table
class Unrelated(Exception):
    pass
def work(n):
    if n == 1:
        raise DbError("users")
    if n == 2:
        raise AppError("generic")
    if n == 3:
        raise Unrelated()
    return n
for n in range(5):
    try:
        print("ok", work(n))
    except DbError as e:
        print("db", e.table, e)
    except AppError as e:
        print("app", e, isinstance(e, Exception))
    except Exception as e:
        print("other", type(e).__name__, str(e.args))
