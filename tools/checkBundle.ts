// Bundle checker: can the Espruino interpreter run this minified firmware bundle?
// The rules follow /work/shared/ESPRUINO.md (what the interpreter does not do). Each rule is one small
// function over the acorn AST; checkBundle() runs them all and always reports the size.
//
// CLI: npx ts-node -P tsconfig.test.json tools/checkBundle.ts [--max-bytes=N] dist/pico/firmware.js ...
// prints a report per file and exits 1 if any file has a problem.

import * as fs from "fs";
import { parse } from "acorn";
import type {
  AnyNode,
  CallExpression,
  Function as FunctionNode,
  FunctionDeclaration,
  Identifier,
  MemberExpression,
  NewExpression,
  Node,
  Pattern,
  Program,
  Statement,
  VariableDeclaration,
} from "acorn";
import * as walk from "acorn-walk";

export interface Problem {
  rule: string;
  message: string;
  /** 1-based. */
  line?: number;
  /** 1-based (acorn counts from 0). */
  column?: number;
}

export interface CheckResult {
  ok: boolean;
  bytes: number;
  problems: Problem[];
}

export interface CheckOptions {
  maxBytes?: number;
}

type Report = (rule: string, message: string, node: Node) => void;
type Rule = (ast: Program, report: Report) => void;

/** Size budget: code is stored as text, and Storage also holds the settings. */
// 41 KB: the Pico saves code in 48 KB of Storage beside two settings copies (~0.3 KB), two
// calibration copies (~1 KB), the fault log (~1 KB) and room to compact. Started at 32 KB (the
// issue), 40 KB until the brake looked at between a tick's parts (issue 9). The MDBT42Q (40 KB of
// Storage, 2,950 JsVars) cannot hold this controller with its records: issue 9's open part.
export const DEFAULT_MAX_BYTES = 41 * 1024;

/** ES5 script: what TypeScript `target ES5` and terser `ecma: 5` promise, and all the interpreter reliably parses. */
const PARSE_OPTIONS = { ecmaVersion: 5, sourceType: "script", locations: true } as const;

/** Why a `var` outside a scope's leading declarations is wrong on Espruino. */
const VAR_WHY =
  "Espruino does not hoist vars: until this line runs the name still means an outer variable; declare it with the function's first vars";

/** Why a function declaration outside a scope's leading declarations is wrong on Espruino. */
const FUNCTION_WHY =
  "Espruino does not hoist functions: it does not exist until this line runs; declare it before any other statement";

/** Reason given for everything ESPRUINO.md lists as missing. */
const DOCUMENTED_MISSING = "missing in Espruino (ESPRUINO.md)";

/** Global names the firmware must not reference, each with why. */
const FORBIDDEN_GLOBALS = new Map<string, string>([
  ["Map", DOCUMENTED_MISSING],
  ["Set", DOCUMENTED_MISSING],
  ["WeakMap", DOCUMENTED_MISSING],
  ["WeakSet", "ES2015, not implemented by Espruino (nor is WeakMap)"],
  ["Symbol", `${DOCUMENTED_MISSING}; also the mark of TypeScript's iterator helpers`],
  ["Proxy", DOCUMENTED_MISSING],
  ["Reflect", DOCUMENTED_MISSING],
  ["RangeError", DOCUMENTED_MISSING],
  ["Promise", "the firmware does not use promises (callbacks and timers only); it also exposes __awaiter"],
  ["WeakRef", "ES2021, not implemented by Espruino"],
  ["globalThis", "ES2020, not implemented by Espruino"],
  ["BigInt", "ES2020, not implemented by Espruino"],
]);

/** `Object.member` uses the interpreter lacks, each with why. Math.sign is not here: Espruino has it. */
const FORBIDDEN_MEMBERS = new Map<string, string>([
  ["Array.from", DOCUMENTED_MISSING],
  ["Array.of", DOCUMENTED_MISSING],
  ["Number.isFinite", DOCUMENTED_MISSING],
  ["Number.isInteger", DOCUMENTED_MISSING],
  ["Number.isNaN", DOCUMENTED_MISSING],
  ["Number.EPSILON", DOCUMENTED_MISSING],
  ["Number.MAX_SAFE_INTEGER", "ES2015; Espruino's Number has only NaN, MAX_VALUE, MIN_VALUE and the infinities"],
  ["Math.log10", DOCUMENTED_MISSING],
  ["Math.log2", DOCUMENTED_MISSING],
  ["Math.trunc", DOCUMENTED_MISSING],
  ["Math.hypot", DOCUMENTED_MISSING],
  ["Math.cbrt", "ES2015; not among Espruino's Math functions"],
  ["Object.freeze", DOCUMENTED_MISSING],
  ["Object.getOwnPropertySymbols", "ES2015; Espruino has no Symbol (TypeScript's __rest helper calls it)"],
]);

/** Method names whose call is a problem on any receiver, each with why. */
const FORBIDDEN_METHOD_CALLS = new Map<string, string>([
  ["finally", `Promise.prototype.finally is ${DOCUMENTED_MISSING}`],
  ["trimStart", `String.prototype.trimStart is ${DOCUMENTED_MISSING}`],
  ["trimEnd", "ES2019, the pair of trimStart; Espruino's String has only trim"],
  ["padStart", "ES2017; compiled out of Espruino's SAVE_ON_FLASH builds"],
  ["padEnd", "ES2017; compiled out of Espruino's SAVE_ON_FLASH builds"],
  ["startsWith", "ES2015; compiled out of Espruino's SAVE_ON_FLASH builds"],
  ["endsWith", "ES2015; compiled out of Espruino's SAVE_ON_FLASH builds"],
  ["repeat", "ES2015; compiled out of Espruino's SAVE_ON_FLASH builds"],
]);

/** TypeScript helpers that cannot work on Espruino, by their name before minification, each with why. */
const TS_HELPERS = new Map<string, string>([
  ["__spreadArray", "copies with Array.prototype.slice, which Espruino cannot reach (array spread of a variable)"],
  ["__read", "walks Symbol.iterator (downlevelIteration), which Espruino lacks"],
  ["__values", "walks Symbol.iterator (downlevelIteration), which Espruino lacks"],
  ["__generator", "generators are not supported; it needs Symbol.iterator"],
  ["__awaiter", "async/await: needs Promise and __generator"],
  ["__rest", "object rest: calls Object.getOwnPropertySymbols"],
]);

/** Readable names for the statements a misplaced declaration can sit in. */
const PLACE_NAMES = new Map<string, string>([
  ["IfStatement", "an if branch"],
  ["ForStatement", "a for loop body"],
  ["ForInStatement", "a for-in loop body"],
  ["WhileStatement", "a while loop body"],
  ["DoWhileStatement", "a do-while loop body"],
  ["TryStatement", "a try or finally block"],
  ["CatchClause", "a catch block"],
  ["SwitchCase", "a switch case"],
  ["LabeledStatement", "a labelled statement"],
  ["WithStatement", "a with block"],
]);

// ---------------------------------------------------------------- small AST helpers

function isFunctionNode(node: AnyNode | undefined): node is AnyNode & FunctionNode {
  return node?.type === "FunctionDeclaration" || node?.type === "FunctionExpression";
}

/** The property name of `a.b` or `a["b"]`, if it is static. */
function memberName(node: MemberExpression): string | undefined {
  const p = node.property;
  if (!node.computed && p.type === "Identifier") return p.name;
  if (node.computed && p.type === "Literal" && typeof p.value === "string") return p.value;
  return undefined;
}

/** "Array.from" for `Array.from`; undefined unless the object is a plain identifier. */
function qualifiedName(node: MemberExpression): string | undefined {
  const name = memberName(node);
  return node.object.type === "Identifier" && name !== undefined ? `${node.object.name}.${name}` : undefined;
}

function isMember(node: AnyNode | undefined, name: string): node is MemberExpression {
  return node?.type === "MemberExpression" && memberName(node) === name;
}

function isArrayPrototype(node: AnyNode): boolean {
  return node.type === "MemberExpression" && qualifiedName(node) === "Array.prototype";
}

/** "line:column" of a node, 1-based, for messages. */
function position(node: Node): string {
  return node.loc ? `${node.loc.start.line}:${node.loc.start.column + 1}` : "?";
}

function patternName(p: Pattern): string {
  return p.type === "Identifier" ? p.name : "(pattern)";
}

function describeDeclaration(node: VariableDeclaration | FunctionDeclaration): string {
  if (node.type === "FunctionDeclaration") return `function ${node.id.name}`;
  return `var ${node.declarations.map((d) => patternName(d.id)).join(", ")}`;
}

function isDeclaration(node: AnyNode): node is VariableDeclaration | FunctionDeclaration {
  return node.type === "VariableDeclaration" || node.type === "FunctionDeclaration";
}

/** Every statement list that starts a scope: the Program's and each function body's. */
function scopes(ast: Program): { root: Node; body: Statement[] }[] {
  const found: { root: Node; body: Statement[] }[] = [{ root: ast, body: ast.body as Statement[] }];
  walk.simple(ast, {
    Function(fn) {
      if (fn.body.type === "BlockStatement") found.push({ root: fn.body, body: fn.body.body });
    },
  });
  return found;
}

// ---------------------------------------------------------------- rules

/** hoisting: in each scope, declarations come first (after directives) ... */
function checkDeclarationsFirst(body: Statement[], report: Report): void {
  let firstOther: Statement | undefined;
  for (const stmt of body) {
    const isDirective = stmt.type === "ExpressionStatement" && stmt.directive !== undefined;
    if (isDirective || stmt.type === "EmptyStatement") continue;
    if (!isDeclaration(stmt)) {
      firstOther ??= stmt;
    } else if (firstOther) {
      const why = stmt.type === "FunctionDeclaration" ? FUNCTION_WHY : VAR_WHY;
      report("hoisting", `${describeDeclaration(stmt)} comes after other statements (from ${position(firstOther)}): ${why}`, stmt);
    }
  }
}

/** ... and no declaration sits anywhere else (blocks, branches, loop headers, try/catch). */
function checkDeclarationPlace(node: VariableDeclaration | FunctionDeclaration, ancestors: AnyNode[], report: Report): void {
  const parent = ancestors[ancestors.length - 2];
  const grandparent = ancestors[ancestors.length - 3];
  const atScopeTop = parent.type === "Program" || (isFunctionNode(grandparent) && grandparent.body === parent);
  if (atScopeTop) return;
  let place: string;
  if (parent.type === "ForStatement" && parent.init === node) place = "in a `for (var …;;)` header";
  else if (parent.type === "ForInStatement" && parent.left === node) place = "in a `for (var … in …)` header";
  else {
    const holder = ancestors.slice(0, -1).reverse().find((a) => a.type !== "BlockStatement");
    place = `inside ${PLACE_NAMES.get(holder?.type ?? "") ?? "a nested block"}`;
  }
  const why = node.type === "FunctionDeclaration" ? FUNCTION_WHY : VAR_WHY;
  report("hoisting", `${describeDeclaration(node)} is ${place}: ${why}`, node);
}

function checkHoisting(ast: Program, report: Report): void {
  for (const scope of scopes(ast)) checkDeclarationsFirst(scope.body, report);
  walk.ancestor(ast, {
    VariableDeclaration: (node, _state, ancestors) => checkDeclarationPlace(node, ancestors, report),
    // acorn types allow an anonymous declaration (export default); a script has none
    FunctionDeclaration: (node, _state, ancestors) => checkDeclarationPlace(node as FunctionDeclaration, ancestors, report),
  });
}

/** The function an expression like `(function(){…})()`, `!function(){…}()` or `(function(){…}).call(this)` runs now. */
function immediatelyInvoked(node: CallExpression | NewExpression): FunctionNode | undefined {
  const callee = node.callee;
  if (callee.type === "FunctionExpression") return callee;
  if (callee.type === "MemberExpression" && callee.object.type === "FunctionExpression") {
    const name = memberName(callee);
    if (name === "call" || name === "apply") return callee.object;
  }
  return undefined;
}

/** Names a function declares for itself (its name, params, vars, inner function declarations). */
function namesDeclaredIn(fn: FunctionNode): Set<string> {
  const names = new Set<string>();
  const add = (p: Pattern | null | undefined) => p?.type === "Identifier" && names.add(p.name);
  add(fn.id);
  fn.params.forEach(add);
  walk.recursive(fn.body, names, {
    FunctionDeclaration: (node) => add(node.id),
    FunctionExpression: () => undefined,
    VariableDeclarator(node, state, c) {
      add(node.id);
      if (node.init) c(node.init, state);
    },
  });
  return names;
}

type LaterFunctions = Map<string, FunctionDeclaration>;

/** call-before-declare: a use of a function name before its declaration (in the same scope, or an IIFE run there). */
function checkCallBeforeDeclare(ast: Program, report: Report): void {
  const flag = (id: Identifier, later: LaterFunctions, how: string) => {
    const decl = later.get(id.name);
    if (decl && id.start < decl.start) {
      report(
        "call-before-declare",
        `${id.name} is ${how} before its function declaration (at ${position(decl)}) has run: Espruino does not hoist functions, so this throws ReferenceError`,
        id,
      );
    }
  };
  const visitCall = (node: CallExpression | NewExpression, later: LaterFunctions, c: walk.WalkerCallback<LaterFunctions>) => {
    const iife = immediatelyInvoked(node);
    if (iife) {
      const shadowed = namesDeclaredIn(iife);
      c(iife.body, new Map([...later].filter(([name]) => !shadowed.has(name))));
    } else if (node.callee.type === "Identifier") {
      flag(node.callee, later, "called");
    } else {
      c(node.callee, later);
    }
    for (const arg of node.arguments) c(arg, later);
  };
  const visitors: walk.RecursiveVisitors<LaterFunctions> = {
    Function: () => undefined, // runs later, if at all; its own body is checked as its own scope
    CallExpression: visitCall,
    NewExpression: visitCall,
    Identifier: (node, later) => flag(node, later, "used"),
  };
  for (const scope of scopes(ast)) {
    const later: LaterFunctions = new Map();
    for (const stmt of scope.body) if (stmt.type === "FunctionDeclaration") later.set(stmt.id.name, stmt);
    if (later.size > 0) walk.recursive(scope.root, later, visitors);
  }
}

/** forbidden-global: references (not property names) to built-ins the interpreter lacks. */
function checkForbiddenGlobals(ast: Program, report: Report): void {
  walk.simple(ast, {
    Identifier(node) {
      const why = FORBIDDEN_GLOBALS.get(node.name);
      if (why) report("forbidden-global", `${node.name}: ${why}`, node);
    },
  });
}

/** forbidden-member: `Array.from`-style statics and `.trimStart(`-style method calls the interpreter lacks. */
function checkForbiddenMembers(ast: Program, report: Report): void {
  walk.simple(ast, {
    MemberExpression(node) {
      const name = qualifiedName(node);
      const why = name === undefined ? undefined : FORBIDDEN_MEMBERS.get(name);
      if (why) report("forbidden-member", `${name}: ${why}`, node);
    },
    CallExpression(node) {
      if (node.callee.type !== "MemberExpression") return;
      const method = memberName(node.callee);
      const why = method === undefined ? undefined : FORBIDDEN_METHOD_CALLS.get(method);
      if (why) report("forbidden-member", `.${method}(): ${why}`, node.callee.property);
    },
  });
}

/** length-assignment: `x.length = n` (or `+=`, `--`…) throws on Espruino. */
function checkLengthAssignment(ast: Program, report: Report): void {
  const check = (target: AnyNode) => {
    if (isMember(target, "length")) {
      report("length-assignment", "assigning .length throws on Espruino (ESPRUINO.md): truncate with splice or build a new array", target);
    }
  };
  walk.simple(ast, {
    AssignmentExpression: (node) => check(node.left),
    UpdateExpression: (node) => check(node.argument),
  });
}

/** array-prototype: Array.prototype.<method> is not reachable on Espruino (`[].slice.call` is). */
function checkArrayPrototype(ast: Program, report: Report): void {
  walk.ancestor(ast, {
    MemberExpression(node, _state, ancestors) {
      if (!isArrayPrototype(node)) return;
      const parent = ancestors[ancestors.length - 2];
      const method = parent.type === "MemberExpression" && parent.object === node ? memberName(parent) : undefined;
      report(
        "array-prototype",
        `Array.prototype${method ? `.${method}` : ""} is not reachable on Espruino (ESPRUINO.md): use [].${method ?? "<method>"}.call(…)`,
        node,
      );
    },
  });
}

/** `Array.prototype.slice.call(…)`: the copy in TypeScript's __spreadArray. */
function isArraySliceCall(node: AnyNode): boolean {
  if (node.type !== "CallExpression" || !isMember(node.callee, "call")) return false;
  const slice = node.callee.object;
  return isMember(slice, "slice") && isArrayPrototype(slice.object);
}

/** ts-helper: TypeScript helpers that fail on Espruino, by name (unminified) or by shape (minified). */
function checkTsHelpers(ast: Program, report: Report): void {
  const byName = (id: Pattern) => {
    const why = id.type === "Identifier" ? TS_HELPERS.get(id.name) : undefined;
    if (why) report("ts-helper", `TypeScript helper ${patternName(id)}: ${why}`, id);
  };
  walk.simple(ast, {
    VariableDeclarator: (node) => byName(node.id),
    FunctionDeclaration: (node) => node.id && byName(node.id),
    MemberExpression(node) {
      if (qualifiedName(node) === "Symbol.iterator") {
        report("ts-helper", "Symbol.iterator: the iterator protocol of TypeScript's __values/__read/__generator helpers; Espruino has no Symbol", node);
      }
    },
    LogicalExpression(node) {
      if (node.operator === "||" && isArraySliceCall(node.right)) {
        report("ts-helper", "`… || Array.prototype.slice.call(…)`: the shape of TypeScript's __spreadArray (spread of a variable); build the array with concat/push", node);
      }
    },
  });
}

/** label: ESPRUINO.md lists labels among what the interpreter does not do. */
function checkLabels(ast: Program, report: Report): void {
  walk.simple(ast, {
    LabeledStatement(node) {
      report("label", `label ${node.label.name}: Espruino does not support labels (ESPRUINO.md); use a flag or return from a function`, node);
    },
  });
}

/**
 * regex: no regular expressions in the firmware. Espruino 2v29's engine is not V8's ({n,m} is
 * unsupported, `?` after a group or class misbehaves): a pattern the emulation accepts can refuse
 * every input on the device (it did: console numbers and stored records). Scan text by hand.
 */
function checkRegex(ast: Program, report: Report): void {
  const why = "Espruino's regular expressions are not V8's ({n,m}, `?` after a group or class): scan the text by hand (firmware/textScan.ts)";
  walk.simple(ast, {
    Literal(node) {
      if ((node as { regex?: unknown }).regex) report("regex", `regular expression ${node.raw}: ${why}`, node);
    },
    Identifier(node) {
      if (node.name === "RegExp") report("regex", `RegExp: ${why}`, node);
    },
  });
}

const AST_RULES: Rule[] = [
  checkHoisting,
  checkCallBeforeDeclare,
  checkForbiddenGlobals,
  checkForbiddenMembers,
  checkLengthAssignment,
  checkArrayPrototype,
  checkTsHelpers,
  checkLabels,
  checkRegex,
];

/** parse: the bundle must be an ES5 script. */
function parseEs5(source: string, problems: Problem[]): Program | undefined {
  try {
    return parse(source, PARSE_OPTIONS);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    const loc = (err as SyntaxError & { loc?: { line: number; column: number } }).loc;
    problems.push({
      rule: "parse",
      message: `not ES5: ${err.message.replace(/ \(\d+:\d+\)$/, "")} (lower it with TypeScript target ES5 and terser ecma 5)`,
      line: loc?.line,
      column: loc ? loc.column + 1 : undefined,
    });
    return undefined;
  }
}

/** size: the bundle must fit the budget. */
function checkSize(bytes: number, maxBytes: number): Problem[] {
  if (bytes <= maxBytes) return [];
  return [{ rule: "size", message: `${bytes} bytes is ${bytes - maxBytes} over the ${maxBytes}-byte budget` }];
}

export function checkBundle(source: string, opts: CheckOptions = {}): CheckResult {
  const bytes = Buffer.byteLength(source, "utf8");
  const problems: Problem[] = [];
  const ast = parseEs5(source, problems);
  if (ast) {
    const report: Report = (rule, message, node) =>
      problems.push({ rule, message, line: node.loc?.start.line, column: node.loc ? node.loc.start.column + 1 : undefined });
    for (const rule of AST_RULES) rule(ast, report);
  }
  const order = (p: Problem) => (p.line ?? 0) * 1e7 + (p.column ?? 0);
  problems.sort((a, b) => order(a) - order(b));
  problems.push(...checkSize(bytes, opts.maxBytes ?? DEFAULT_MAX_BYTES));
  return { ok: problems.length === 0, bytes, problems };
}

// ---------------------------------------------------------------- CLI

/** The CLI option that overrides the size budget, e.g. --max-bytes=20480 for a 20 KB board. */
const MAX_BYTES_FLAG = /^--max-bytes=(\d+)$/;

export function formatReport(file: string, result: CheckResult, maxBytes: number): string {
  const percent = Math.round((100 * result.bytes) / maxBytes);
  const verdict = result.ok ? "ok" : `${result.problems.length} problem(s)`;
  const lines = [`${file}: ${verdict}, ${result.bytes} bytes (${percent}% of ${maxBytes})`];
  for (const p of result.problems) {
    const where = p.line === undefined ? file : `${file}:${p.line}:${p.column}`;
    lines.push(`  ${where} [${p.rule}] ${p.message}`);
  }
  return lines.join("\n");
}

export function main(args: string[]): number {
  const flag = args.map((a) => MAX_BYTES_FLAG.exec(a)).find((m) => m !== null);
  const maxBytes = flag ? Number(flag[1]) : DEFAULT_MAX_BYTES;
  const files = args.filter((a) => !MAX_BYTES_FLAG.test(a));
  if (files.length === 0) {
    console.error("usage: checkBundle [--max-bytes=N] <bundle.js>...");
    return 2;
  }
  let failed = false;
  for (const file of files) {
    if (!fs.existsSync(file)) {
      console.error(`${file}: not found (run \`npm run build\` first)`);
      failed = true;
      continue;
    }
    const result = checkBundle(fs.readFileSync(file, "utf8"), { maxBytes });
    console.log(formatReport(file, result, maxBytes));
    failed ||= !result.ok;
  }
  return failed ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
