/** Layer rules of ../shared/docs/architecture.md: a wrong import fails `npm run lint` (and so CI). */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain imports nothing outside src/domain: no frameworks, no adapters, no node built-ins',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { pathNot: '^src/domain' },
    },
    {
      name: 'application-depends-on-domain-and-nest-only',
      comment: 'src/application may import src/domain, @nestjs/common and @nestjs/cqrs (and node built-ins)',
      severity: 'error',
      from: { path: '^src/application' },
      to: {
        pathNot: [
          '^src/(domain|application)',
          '^node_modules/@nestjs/(common|cqrs)',
          '^node_modules/(rxjs|reflect-metadata)',
        ],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'projections-depend-on-domain-and-application',
      severity: 'error',
      from: { path: '^src/projections' },
      to: {
        pathNot: [
          '^src/(domain|application|projections)',
          '^node_modules/@nestjs/(common|cqrs)',
          '^node_modules/(rxjs|reflect-metadata)',
        ],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'src-never-imports-tests',
      comment: 'test doubles (test/support) are never a dependency of the product',
      severity: 'error',
      from: { path: '^src' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
