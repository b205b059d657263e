#!/usr/bin/env node
// Runs a TypeScript host tool (tools/*.ts) with ts-node, type-checking skipped for start-up speed
// (npm run typecheck and the tests check types). Usage: node tools/ts.js tools/x.ts [args...]
const path = require("path");
require("ts-node").register({ project: path.join(__dirname, "..", "tsconfig.test.json"), transpileOnly: true });
const script = process.argv[2];
if (!script) {
  console.error("usage: node tools/ts.js <tool.ts> [args...]");
  process.exit(2);
}
process.argv.splice(1, 2, path.resolve(script));
// Load it as the main module, so `require.main === module` holds inside the tool.
require("module")._load(path.resolve(script), null, true);
