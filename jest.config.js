/** Tests are TypeScript run by ts-jest against tsconfig.test.json (host types, never Espruino's). */
module.exports = {
  testEnvironment: "node",
  rootDir: __dirname,
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json" }] },
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 60000,
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
};
