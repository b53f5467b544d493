// Unit tests of classes on their own (vm/class.h): the MRO walk of attribute lookup, the slot
// table and the instance layout (inline slots, the overflow block, its size in bytes), version
// tags, and isinstance over classes and tuples.
#include "vm/class.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "tests/vm/interpreter_fixture.h"
#include "vm/builtins.h"
#include "vm/exceptions.h"
#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

using ClassTest = test_support::InterpreterTest;

// A class named `name` under `base` with the given int attributes, as BuildClass would make one
// (without running a body). A new reference.
ClassObj* MakeClass(const char* name, ClassObj* base,
                    std::initializer_list<std::pair<const char*, int>> attrs) {
  auto* cls = new ClassObj();
  cls->name = name;
  cls->base = base;
  IncrefObj(base);
  base->subclasses.push_back(cls);
  cls->version_tag = NewClassVersionTag();
  for (auto [k, v] : attrs) cls->attrs.emplace_back(k, Value::Int(v));
  return cls;
}

TEST_F(ClassTest, LookupWalksTheMroNearestFirst) {
  ClassObj* a = MakeClass("A", ObjectClass(), {{"x", 1}, {"y", 2}});
  ClassObj* b = MakeClass("B", a, {{"y", 20}});
  ClassObj* c = MakeClass("C", b, {});
  const ClassObj* where = nullptr;
  EXPECT_EQ(c->Lookup("y", &where).i, 20);
  EXPECT_EQ(where, b);
  EXPECT_EQ(c->Lookup("x", &where).i, 1);
  EXPECT_EQ(where, a);
  EXPECT_TRUE(c->Lookup("z").is_undefined());
  EXPECT_TRUE(c->IsSubclassOf(a));
  EXPECT_TRUE(c->IsSubclassOf(ObjectClass()));
  EXPECT_FALSE(a->IsSubclassOf(c));
  DecrefObj(c);
  DecrefObj(b);
  DecrefObj(a);
}

TEST_F(ClassTest, SubclassesUnregisterWhenTheyDie) {
  ClassObj* a = MakeClass("A", ObjectClass(), {});
  ClassObj* b = MakeClass("B", a, {});
  EXPECT_EQ(a->subclasses.size(), 1u);
  DecrefObj(b);
  EXPECT_TRUE(a->subclasses.empty());
  DecrefObj(a);
}

TEST_F(ClassTest, InstanceAttributesTakeSlotsInFirstSetOrder) {
  ClassObj* a = MakeClass("A", ObjectClass(), {{"k", 7}});
  Value first = Value::Object(new InstanceObj(a));
  ASSERT_TRUE(SetAttr(ts_, first, "p", Value::Int(1)));
  ASSERT_TRUE(SetAttr(ts_, first, "q", Value::Int(2)));
  EXPECT_EQ(a->SlotOf("p"), 0);
  EXPECT_EQ(a->SlotOf("q"), 1);
  // Both sit inline; a later instance has the slots unset.
  Value second = Value::Object(new InstanceObj(a));
  EXPECT_EQ(AsInstance(first)->overflow, nullptr);
  EXPECT_TRUE(AsInstance(second)->Get(1).is_undefined());
  Value out;
  ASSERT_TRUE(InstanceGetAttr(ts_, first, "q", &out));
  EXPECT_EQ(out.i, 2);
  ASSERT_TRUE(InstanceGetAttr(ts_, second, "k", &out));  // the class attribute shows through
  EXPECT_EQ(out.i, 7);
  EXPECT_FALSE(InstanceGetAttr(ts_, second, "p", &out));
  EXPECT_EQ(ts_.error_message, "'A' object has no attribute 'p'");
  ts_.ClearError();
  Decref(first);
  Decref(second);
  DecrefObj(a);
}

TEST_F(ClassTest, ChangingAClassGivesItAndItsSubclassesNewVersionTags) {
  ClassObj* a = MakeClass("A", ObjectClass(), {});
  ClassObj* b = MakeClass("B", a, {});
  const uint64_t a_tag = a->version_tag, b_tag = b->version_tag;
  ASSERT_TRUE(SetAttr(ts_, Value::Object(a), "x", Value::Int(1)));
  EXPECT_NE(a->version_tag, a_tag);
  EXPECT_NE(b->version_tag, b_tag);
  // A name new to the slot table gives that class a new tag (a method cache entry may have
  // recorded that no instance can shadow the method), not its base; setting a name the table
  // already has changes no tag.
  Value inst = Value::Object(new InstanceObj(b));
  const uint64_t b_tag_before = b->version_tag, a_tag_before = a->version_tag;
  ASSERT_TRUE(SetAttr(ts_, inst, "y", Value::Int(2)));
  EXPECT_NE(b->version_tag, b_tag_before);
  EXPECT_EQ(a->version_tag, a_tag_before);
  const uint64_t tag = b->version_tag;
  ASSERT_TRUE(SetAttr(ts_, inst, "y", Value::Int(3)));
  Value other = Value::Object(new InstanceObj(b));
  ASSERT_TRUE(SetAttr(ts_, other, "y", Value::Int(4)));
  EXPECT_EQ(b->version_tag, tag);
  Decref(other);
  Decref(inst);
  DecrefObj(b);
  DecrefObj(a);
}

TEST_F(ClassTest, IsInstanceOverClassesTuplesAndBuiltinTypes) {
  ClassObj* a = MakeClass("A", ObjectClass(), {});
  ClassObj* b = MakeClass("B", a, {});
  ClassObj* other = MakeClass("Other", ObjectClass(), {});
  Value inst = Value::Object(new InstanceObj(b));
  bool out = false;
  ASSERT_TRUE(IsInstanceOf(ts_, inst, Value::Object(a), &out));
  EXPECT_TRUE(out);
  ASSERT_TRUE(IsInstanceOf(ts_, inst, Value::Object(other), &out));
  EXPECT_FALSE(out);
  IncrefObj(other);
  IncrefObj(a);
  Value tuple = MakeTuple({Value::Object(other), Value::Object(a)});
  ASSERT_TRUE(IsInstanceOf(ts_, inst, tuple, &out));
  EXPECT_TRUE(out);
  ASSERT_TRUE(IsInstanceOf(ts_, Value::Int(3), Value::Object(ObjectClass()), &out));
  EXPECT_TRUE(out);
  ASSERT_TRUE(IsInstanceOf(ts_, Value::Bool(true), LookupBuiltin("int"), &out));
  EXPECT_TRUE(out);
  EXPECT_FALSE(IsInstanceOf(ts_, inst, Value::Int(2), &out));
  EXPECT_EQ(ts_.error_message, "isinstance() arg 2 must be a type, a tuple of types, or a union");
  ts_.ClearError();
  Decref(tuple);
  Decref(inst);
  DecrefObj(other);
  DecrefObj(b);
  DecrefObj(a);
}

// The global `name` of the program the fixture's interpreter ran (borrowed), or undefined.
Value Global(Interpreter& interp, std::string_view name) {
  for (size_t i = 0; i < interp.global_names.size(); ++i)
    if (interp.global_names[i] == name) return interp.globals[i];
  return Value::Undefined();
}

// Runs `source` as the fixture interpreter's module; the test fails on an error.
void RunSource(Interpreter& interp, const std::string& source) {
  std::string error;
  ASSERT_TRUE(interp.Load(source, "t.py", &error)) << error;
  ASSERT_TRUE(interp.RunModule(&error)) << error;
}

// An instance's attribute `name` (borrowed), or undefined: the slot its class gave the name.
Value Attr(Value inst, std::string_view name) {
  return AsInstance(inst)->Get(AsInstance(inst)->cls->SlotOf(name));
}

TEST_F(ClassTest, InstanceOfFourAttributesIsOneBlockOf64Bytes) {
  EXPECT_LE(sizeof(InstanceObj), 64u);
  EXPECT_EQ(sizeof(Obj), 16u);
  // The inline tags sit in the Obj header's tail padding (class.h's static_assert relies on it).
  ClassObj* a = MakeClass("A", ObjectClass(), {});
  auto* probe = new InstanceObj(a);
  EXPECT_EQ(reinterpret_cast<char*>(probe->inline_tags) - reinterpret_cast<char*>(probe), 13);
  DecrefObj(probe);
  DecrefObj(a);

  RunSource(interp_,
            "class P:\n"
            "    def __init__(self, x):\n"
            "        self.x = x\n"
            "        self.name = 'p' + str(x)\n"
            "        self.ratio = x / 4\n"
            "        self.flag = x > 1\n"
            "p = P(3)\n"
            "p.ratio += 1.0\n"
            "q = P(1)\n"
            "del q.name\n");
  Value p = Global(interp_, "p");
  ASSERT_TRUE(IsInstanceObj(p));
  InstanceObj* inst = AsInstance(p);
  EXPECT_EQ(inst->overflow, nullptr);  // no second allocation
  EXPECT_EQ(inst->cls->slot_names.size(), 4u);
  EXPECT_EQ(Attr(p, "x").i, 3);
  EXPECT_EQ(AsStr(Attr(p, "name"))->s, "p3");
  EXPECT_EQ(Attr(p, "ratio").f, 1.75);
  EXPECT_TRUE(Attr(p, "flag").is_bool());
  EXPECT_EQ(Attr(p, "flag").i, 1);
  Value q = Global(interp_, "q");
  EXPECT_TRUE(Attr(q, "name").is_undefined());
  EXPECT_TRUE(Attr(q, "flag").is_bool());
  EXPECT_EQ(Attr(q, "flag").i, 0);
  EXPECT_EQ(AsInstance(q)->overflow, nullptr);
  // The block malloc gives `new InstanceObj` (glibc: 72 usable bytes in an 80-byte chunk).
  const size_t usable = malloc_usable_size(inst);
  EXPECT_GE(usable, sizeof(InstanceObj));
  EXPECT_LE(usable, 72u);
  std::printf("sizeof(InstanceObj) %zu, malloc_usable_size %zu, second block 0\n",
              sizeof(InstanceObj), usable);
}

TEST_F(ClassTest, ShapeIsSharedByAThousandInstances) {
  RunSource(interp_,
            "class P:\n"
            "    def __init__(self, k):\n"
            "        self.x = k\n"
            "        self.y = k + 1\n"
            "        self.z = k + 2\n"
            "        self.w = k + 3\n"
            "ps = [P(k) for k in range(1000)]\n");
  Value ps = Global(interp_, "ps");
  ASSERT_TRUE(IsType(ps, ObjType::kList));
  const auto& items = AsSeq(ps)->items;
  ASSERT_EQ(items.size(), 1000u);
  for (Value v : items) ASSERT_EQ(AsInstance(v)->overflow, nullptr);
  const ClassObj* cls = AsInstance(items[0])->cls;
  ASSERT_EQ(cls->slot_names.size(), 4u);
  EXPECT_EQ(Attr(items[999], "w").i, 1002);
  // The slot table: the vector itself, its buffer, and any name too long to sit in its string.
  size_t bytes = sizeof(cls->slot_names) +
                 malloc_usable_size(const_cast<std::string*>(cls->slot_names.data()));
  for (const std::string& name : cls->slot_names) {
    if (name.capacity() > std::string().capacity()) bytes += name.capacity() + 1;
  }
  const double share = static_cast<double>(bytes) / items.size();
  EXPECT_LT(share, 1.0);
  std::printf("slot table %zu bytes, %.3f bytes per instance of 1000\n", bytes, share);
}

TEST_F(ClassTest, FortyAttributesAndDeletionsUseTheOverflowBlock) {
  RunSource(interp_,
            "class Bag:\n"
            "    pass\n"
            "b = Bag()\n"
            "for k in range(40):\n"
            "    setattr(b, 'a' + str(k), 'v' + str(k) if k % 2 else k)\n"
            "del b.a1\n"
            "del b.a30\n"
            "del b.a39\n"
            "b.a30 = 3.5\n"
            "b.a1 = b.a2\n"
            "c = Bag()\n"
            "c.a35 = [1, 2]\n"
            "del c.a35\n"
            "c.a0 = None\n");
  Value b = Global(interp_, "b");
  InstanceObj* inst = AsInstance(b);
  ASSERT_NE(inst->overflow, nullptr);
  EXPECT_EQ(inst->overflow->native, nullptr);
  EXPECT_EQ(inst->overflow->slots.size(), 36u);  // sized for the class's 40 names at once
  EXPECT_EQ(Attr(b, "a0").i, 0);
  EXPECT_EQ(Attr(b, "a1").i, 2);  // deleted, then set again: slot 1 holds the int
  EXPECT_EQ(AsStr(Attr(b, "a3"))->s, "v3");
  EXPECT_EQ(Attr(b, "a30").f, 3.5);
  EXPECT_TRUE(Attr(b, "a39").is_undefined());
  EXPECT_EQ(AsStr(Attr(b, "a37"))->s, "v37");
  Value out;
  EXPECT_FALSE(InstanceGetAttr(ts_, b, "a39", &out));
  EXPECT_EQ(ts_.error_message, "'Bag' object has no attribute 'a39'");
  ts_.ClearError();
  // An instance that used a far slot keeps its block, the slot undefined again.
  Value c = Global(interp_, "c");
  ASSERT_NE(AsInstance(c)->overflow, nullptr);
  EXPECT_TRUE(Attr(c, "a35").is_undefined());
  EXPECT_TRUE(Attr(c, "a0").is_none());
  EXPECT_TRUE(Attr(c, "a1").is_undefined());
}

TEST_F(ClassTest, ThreadSubclassKeepsItsThreadInTheOverflowBlock) {
  RunSource(interp_,
            "import threading\n"
            "class T(threading.Thread):\n"
            "    def __init__(self):\n"
            "        super().__init__(name='worker')\n"
            "        self.a = 1\n"
            "        self.b = 'two'\n"
            "    def run(self):\n"
            "        self.c = self.a + 2\n"
            "t = T()\n"
            "t.start()\n"
            "t.join()\n"
            "u = T()\n"
            "u.d = 4.0\n"
            "u.e = 5\n");
  Value t = Global(interp_, "t");
  InstanceObj* inst = AsInstance(t);
  ASSERT_NE(inst->overflow, nullptr);
  ASSERT_NE(inst->native(), nullptr);
  EXPECT_EQ(inst->native()->type, ObjType::kThread);
  EXPECT_TRUE(inst->overflow->slots.empty());  // three attributes: all inline
  EXPECT_EQ(Attr(t, "c").i, 3);
  EXPECT_EQ(AsStr(Attr(t, "b"))->s, "two");
  Value name;
  ASSERT_TRUE(InstanceGetAttr(ts_, t, "name", &name));  // read through the ThreadObj
  EXPECT_EQ(AsStr(name)->s, "worker");
  Decref(name);
  Value u = Global(interp_, "u");
  ASSERT_NE(AsInstance(u)->native(), nullptr);
  EXPECT_NE(AsInstance(u)->native(), inst->native());
  EXPECT_EQ(Attr(u, "d").f, 4.0);
  EXPECT_EQ(Attr(u, "e").i, 5);  // the fifth name: the first overflow slot
  EXPECT_TRUE(Attr(u, "c").is_undefined());
}

TEST_F(ClassTest, ExceptionHierarchyIsCPythons) {
  const std::pair<const char*, const char*> is_a[] = {{"KeyError", "LookupError"},
                                                      {"IndexError", "LookupError"},
                                                      {"LookupError", "Exception"},
                                                      {"ZeroDivisionError", "ArithmeticError"},
                                                      {"OverflowError", "ArithmeticError"},
                                                      {"RecursionError", "RuntimeError"},
                                                      {"NotImplementedError", "RuntimeError"},
                                                      {"UnboundLocalError", "NameError"},
                                                      {"ModuleNotFoundError", "ImportError"},
                                                      {"BrokenPipeError", "OSError"},
                                                      {"UnicodeDecodeError", "ValueError"},
                                                      {"Exception", "BaseException"},
                                                      {"SystemExit", "BaseException"},
                                                      {"GeneratorExit", "BaseException"}};
  for (const auto& [sub, base] : is_a) {
    ASSERT_NE(ExceptionClass(sub), nullptr) << sub;
    EXPECT_TRUE(ExceptionClass(sub)->IsSubclassOf(ExceptionClass(base))) << sub << " " << base;
  }
  EXPECT_FALSE(ExceptionClass("SystemExit")->IsSubclassOf(ExceptionClass("Exception")));
  EXPECT_FALSE(ExceptionClass("KeyboardInterrupt")->IsSubclassOf(ExceptionClass("Exception")));
  EXPECT_FALSE(ExceptionClass("KeyError")->IsSubclassOf(ExceptionClass("IndexError")));
  EXPECT_EQ(ExceptionClass("NoSuchError"), nullptr);
}

TEST_F(ClassTest, IsInstanceOfAnExceptionInstance) {
  Value arg = MakeStr("k");
  Value e;
  ASSERT_TRUE(interp_.Call(ts_, Value::Object(ExceptionClass("KeyError")), &arg, 1, nullptr, &e));
  bool out = false;
  ASSERT_TRUE(IsInstanceOf(ts_, e, Value::Object(ExceptionClass("LookupError")), &out));
  EXPECT_TRUE(out);
  ASSERT_TRUE(IsInstanceOf(ts_, e, Value::Object(ExceptionClass("ValueError")), &out));
  EXPECT_FALSE(out);
  std::string text;
  ASSERT_TRUE(StrOf(ts_, e, &text));
  EXPECT_EQ(text, "'k'");  // KeyError shows its key by repr
  ASSERT_TRUE(ReprOf(ts_, e, &text));
  EXPECT_EQ(text, "KeyError('k')");
  EXPECT_EQ(AsSeq(ExceptionArgs(e))->items.size(), 1u);
  Decref(e);
  Decref(arg);
}

}  // namespace
}  // namespace gilbench::vm
