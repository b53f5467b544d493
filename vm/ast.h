// The abstract syntax tree the parser builds and the compiler walks.
//
// One tagged struct per category (Expr, Stmt) rather than a class per node: the subset is small,
// the compiler switches on `kind`, and each field below says which kinds use it. Nodes own their
// children through unique_ptr; a Module owns the whole tree.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gilbench::vm {

// Where a node starts in the source: 1-based line, 0-based column (in bytes), as CPython counts.
struct SourcePos {
  int line = 0;
  int col = 0;
};

enum class UnaryOp { kNeg, kPos, kNot };
enum class BinaryOp { kAdd, kSub, kMul, kDiv, kFloorDiv, kMod, kPow };
enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kNotIn, kIs, kIsNot };
enum class BoolOpKind { kAnd, kOr };

enum class ExprKind {
  kInt,    // int_value
  kFloat,  // float_value
  kStr,    // str_value (already unescaped)
  kBytes,  // str_value holds the raw bytes
  kTrue,
  kFalse,
  kNone,
  kName,       // str_value = identifier
  kUnary,      // unary_op, operand
  kBinary,     // binary_op, left, right
  kCompare,    // left, compare_ops[i] applied between items[i-1] (or left) and items[i]
  kBoolOp,     // bool_op, items (two or more, evaluated left to right)
  kIfExp,      // body=left, test=operand, orelse=right  (left if operand else right)
  kCall,       // func=left, items = positional args, keywords
  kAttribute,  // left . str_value
  kSubscript,  // left [ right ]
  kSlice,      // left [ slice_lower : slice_upper ]; either bound may be null
  kList,       // items
  kTuple,      // items
  kFString,    // items: kStr parts and kFormatted parts, in order
  kFormatted,  // operand = the expression, str_value = the format spec ("" if none)
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Keyword {
  std::string name;
  ExprPtr value;
  SourcePos pos;
};

struct Expr {
  ExprKind kind;
  SourcePos pos;

  int64_t int_value = 0;
  double float_value = 0.0;
  std::string str_value;

  UnaryOp unary_op = UnaryOp::kNeg;
  BinaryOp binary_op = BinaryOp::kAdd;
  BoolOpKind bool_op = BoolOpKind::kAnd;
  std::vector<CompareOp> compare_ops;

  ExprPtr left;
  ExprPtr right;
  ExprPtr operand;
  ExprPtr slice_lower;
  ExprPtr slice_upper;
  std::vector<ExprPtr> items;
  std::vector<Keyword> keywords;

  explicit Expr(ExprKind k, SourcePos p) : kind(k), pos(p) {}
};

enum class StmtKind {
  kExpr,       // value
  kAssign,     // targets (a = b = value: targets = [a, b]), value
  kAugAssign,  // target = targets[0], aug_op, value
  kIf,         // test, body, orelse (an elif is an orelse holding one kIf)
  kWhile,      // test, body, orelse (the loop's else clause)
  kFor,        // target = targets[0], iter = value, body, orelse
  kBreak,
  kContinue,
  kPass,
  kAssert,       // test, msg (may be null)
  kFunctionDef,  // name, params, defaults (for the last defaults.size() params), body
  kReturn,       // value (may be null)
  kYield,        // value (may be null): `yield expr` as a statement
  kGlobal,       // names
  kImport,       // module, alias ("" when none): import M [as X]
  kImportFrom,   // module, names, aliases (aliases[i] == "" when none)
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;

struct Stmt {
  StmtKind kind;
  SourcePos pos;

  ExprPtr value;
  ExprPtr test;
  ExprPtr msg;
  std::vector<ExprPtr> targets;
  BinaryOp aug_op = BinaryOp::kAdd;
  std::vector<StmtPtr> body;
  std::vector<StmtPtr> orelse;

  std::string name;
  std::vector<std::string> params;
  std::vector<ExprPtr> defaults;

  std::string module;
  std::string alias;
  std::vector<std::string> names;
  std::vector<std::string> aliases;

  explicit Stmt(StmtKind k, SourcePos p) : kind(k), pos(p) {}
};

// A parsed source file.
struct Module {
  std::string filename;
  std::vector<StmtPtr> body;
};

}  // namespace gilbench::vm
