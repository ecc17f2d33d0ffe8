// ESM jest: TypeScript is transformed by swc, imports keep their `.js` suffix in source
// (NodeNext style) and are mapped back to the .ts files here.
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'es6' } },
  ],
};

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform,
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/setup.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
};
