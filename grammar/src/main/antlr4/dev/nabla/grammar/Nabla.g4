/*
 * The .nn language, version 1 and the parts of version 2 built so far (see docs: the language
 * reference).
 *
 * The package (dev.nabla.grammar) comes from this file's directory: the antlr4-maven-plugin
 * passes it to the tool, so no @header is needed.
 *
 * Reserved words. Only `def` and `model` are reserved: they start the two kinds of top-level
 * item, and reserving them lets the parser resynchronise on them after an error (a model missing
 * its `}` is closed by the next `model`). The member keywords `input target param hyper output
 * loss grad dim` and the loop's `for in state collect` are contextual: they are keywords only where a declaration can start (and `grad`
 * only after an input's shape; `dim` also at the top level of a file); everywhere else they are ordinary names, so `loss`, `output` or
 * `grad` can name a value (`grad = x * 2;`, `loss L = loss;`, `input grad;`). A member that
 * starts with one of these words followed by `=` is an assignment (`output = 3;` defines a value
 * called `output`).
 *
 * Every alternative the AST builder must tell apart has its own label, hence its own visitor
 * method. Parse trees are turned into the AST in the compiler (dev.nabla.compiler.parse.AstBuilder);
 * checks that need a good message (a param initializer a name or a call, positional before named
 * arguments) are made there, not here, so the grammar accepts any expression in those places.
 * Dimensions, indices and other whole numbers are expressions of dims and integer literals, and
 * are evaluated by the checker (dev.nabla.compiler.check.Dims), which knows the dims.
 */
grammar Nabla;

// ---------------------------------------------------------------- file structure

file
  : (def | model | fileDim)* EOF
  ;

// dim T = 8; at file level: a whole-number constant every model of the file sees.
fileDim
  : DIM ident '=' expr ';'
  ;

// def swish(z) = z * sigmoid(z);
def
  : DEF ident '(' (ident (',' ident)*)? ')' '=' expr ';'
  ;

// model Digits { ... }
model
  : MODEL ident '{' member* '}'
  ;

member
  : INPUT ident shape? GRAD? ';'              # InputDecl
  | TARGET ident shape? ';'                   # TargetDecl
  | PARAM ident shape? ('=' init=expr)? ';'   # ParamDecl
  | HYPER ident '=' expr ';'                  # HyperDecl
  | OUTPUT ident ('=' expr)? ';'              # OutputDecl
  | LOSS ident '=' expr ';'                   # LossDecl
  | DIM ident '=' expr ';'                    # DimDecl
  | FOR loopSequence (',' loopSequence)* '{' member* '}'  # Loop
  | STATE ident shape? '=' expr ';'           # StateDecl
  | COLLECT ident '=' expr ';'                # CollectDecl
  | ident '=' expr ';'                        # Assign
  ;

// `x in xs`, or `x in reverse(xs)` (the loop runs backwards; the AST builder reads the call).
// A loop's body is members: the checker accepts only statements, `state` and `collect` there,
// and reports `state`/`collect` outside a loop, each with its own message.
loopSequence
  : ident IN expr
  ;

// [32, 64]; `[]` is accepted here and rejected with a clear message by the AST builder.
shape
  : '[' (expr (',' expr)*)? ']'
  ;

// A name; the contextual keywords are names outside their keyword position.
ident
  : NAME
  | INPUT
  | TARGET
  | PARAM
  | HYPER
  | OUTPUT
  | LOSS
  | GRAD
  | DIM
  | FOR
  | IN
  | STATE
  | COLLECT
  ;

// ---------------------------------------------------------------- expressions

// Precedence, tightest first (ANTLR gives earlier alternatives higher precedence):
//   atoms (a list [2, 3] is one: an argument of reshape, transpose, pad; so is a pair (2, 1),
//   parentheses with a comma: a 2-D convolution's or pooling's stride, padding, dilation or
//   window, rejected by the checker elsewhere; one alternative with the plain parentheses, so
//   that a missing ')' is still reported as one); postfix .T and
//   X[i, a:b]; ^ (right-assoc); unary -; @; * /; + -; comparisons.
// Comparisons are left-associative like the rest, so they do not chain: a < b < c is
// (a < b) < c, a 0/1 value compared with c.
// Unary minus sits between ^ and @: -a^2 is -(a^2), -x @ y is (-x) @ y, and the exponent of ^
// may itself be a negation (a^-2), because a prefix operator can start any operand.
expr
  : NUMBER                                    # Number
  | ident '(' (arg (',' arg)*)? ')'           # Call
  | ident                                     # NameRef
  | '(' expr (',' expr)* ')'                  # Parens
  | '[' (expr (',' expr)*)? ']'               # List
  | expr '.T'                                 # Transpose
  | expr '[' subscript (',' subscript)* ']'   # Index
  | <assoc=right> expr '^' expr               # Power
  | '-' expr                                  # Negate
  | expr '@' expr                             # MatMul
  | expr op=('*' | '/') expr                  # MulDiv
  | expr op=('+' | '-') expr                  # AddSub
  | expr op=('<' | '<=' | '>' | '>=' | '==' | '!=') expr  # Compare
  ;

arg
  : ident '=' expr                            # NamedArg
  | expr                                      # PositionalArg
  ;

// One axis of X[2, 1:4, :, -2:]: an index (the axis is dropped) or a range, either bound left out.
subscript
  : from=expr? ':' to=expr?                   # Range
  | expr                                      # At
  ;

// ---------------------------------------------------------------- lexer

DEF    : 'def' ;
MODEL  : 'model' ;
INPUT  : 'input' ;
TARGET : 'target' ;
PARAM  : 'param' ;
HYPER  : 'hyper' ;
OUTPUT : 'output' ;
LOSS   : 'loss' ;
GRAD   : 'grad' ;
DIM    : 'dim' ;
FOR    : 'for' ;
IN     : 'in' ;
STATE  : 'state' ;
COLLECT : 'collect' ;

SEMI      : ';' ;
COLON     : ':' ;
COMMA     : ',' ;
ASSIGN    : '=' ;
LPAREN    : '(' ;
RPAREN    : ')' ;
LBRACKET  : '[' ;
RBRACKET  : ']' ;
LBRACE    : '{' ;
RBRACE    : '}' ;
PLUS      : '+' ;
MINUS     : '-' ;
STAR      : '*' ;
SLASH     : '/' ;
AT        : '@' ;
CARET     : '^' ;
LESS      : '<' ;
LESS_EQ   : '<=' ;
GREATER   : '>' ;
GREATER_EQ : '>=' ;
EQUAL     : '==' ;
NOT_EQUAL : '!=' ;
// `.T` is one token, so x.T, x.T@y and A.T.T lex without spaces. It does not clash with numbers:
// a number that starts with a dot needs a digit after it (.5).
TRANSPOSE : '.T' ;

// 12, 0.5, .5, 1., 1e-4, 3.0E+2. All numbers are real; the text is kept as written.
NUMBER
  : MANTISSA EXPONENT?
  ;

NAME
  : [A-Za-z_] [A-Za-z0-9_]*
  ;

// Whitespace and comments. Block comments do not nest.
WS            : [ \t\r\n\f]+ -> skip ;
LINE_COMMENT  : ('#' | '//') ~[\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;

// ---- error tokens: the parser never expects them, the compiler reports each with its own message.

// A number glued to more number or name characters (1.2.3, 2x, 1e5x), or an exponent without
// digits (1e, 1e+). Longest match makes these win only over text that is not a valid number
// followed by a valid token; on equal length NUMBER, declared first, wins.
BAD_NUMBER
  : MANTISSA EXPONENT? [.A-Za-z0-9_]+
  | MANTISSA [eE] [+-]
  ;

// .t, .Tx, .shape: a dot followed by a name other than exactly T.
BAD_POSTFIX
  : '.' [A-Za-z_] [A-Za-z0-9_]*
  ;

// /* running to the end of the file. It cannot contain */, so a closed comment never matches.
UNTERMINATED_COMMENT
  : '/*' (~'*' | '*'+ ~[*/])* '*'* EOF
  ;

// Anything else: one code point.
BAD_CHAR
  : .
  ;

fragment MANTISSA : DIGITS ('.' DIGITS?)? | '.' DIGITS ;
fragment EXPONENT : [eE] [+-]? DIGITS ;
fragment DIGITS   : [0-9]+ ;
