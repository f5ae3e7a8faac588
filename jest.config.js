// Tests run TypeScript through swc; Nest 12 ships ES modules only, so swc transforms them for Jest too.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs)/)'],
  moduleNameMapper: { '^@app/([^/]+)$': '<rootDir>/libs/$1/src/index.ts' },
  setupFiles: ['<rootDir>/tools/testing/test-env.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

/** @type {import('jest').Config} */
module.exports = {
  // Per-project testTimeout is not honoured by Jest; end-to-end tests need the room.
  testTimeout: 60_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,legacy-monolith,strangler,tools}/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: [
        '<rootDir>/{apps,libs,legacy-monolith,strangler,tools}/**/test/**/*.e2e-spec.ts',
        '<rootDir>/integration/**/*.e2e-spec.ts',
      ],
    },
  ],
};
