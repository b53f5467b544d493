// Unit tests of classes on their own (vm/class.h): the MRO walk of attribute lookup, the slot
// table and the instance layout, version tags, and isinstance over classes and tuples.
#include "vm/class.h"

#include <gtest/gtest.h>

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
  // A later instance starts with room for both.
  Value second = Value::Object(new InstanceObj(a));
  EXPECT_EQ(AsInstance(second)->nslots, 2u);
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

TEST_F(ClassTest, InstanceOfFourAttributesIsCompact) {
  // The layout the docs quote: the header, the class, the slot array, its size and a native
  // pointer inline; four 16-byte values out of line.
  EXPECT_LE(sizeof(InstanceObj), 48u);
  EXPECT_EQ(sizeof(Value), 16u);
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
