# current_process().name in the parent and in a child.
from multiprocessing import Process, current_process


def show(tag):
    print(tag, current_process().name)


if __name__ == "__main__":
    print(current_process().name)
    p = Process(target=show, args=("child",))
    p.start()
    p.join()
    p = Process(target=show, args=("named",), name="Alpha")
    p.start()
    p.join()
    print(current_process().name)
