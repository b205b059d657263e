/** Tests are TypeScript run by ts-jest against tsconfig.test.json (host types, never Espruino's). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json" }] },
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 60000,
};
