import { awscdk, javascript } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-wave-pipelines',
  description: 'Amazon-style wave deployments for AWS CDK: pre-production stages, one-box, production waves of regions, bake time with automatic rollback, and deployment windows.',
  author: 'cdk-wave-pipelines developers',
  authorAddress: 'cdk-wave-pipelines@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk-wave-pipelines/cdk-wave-pipelines.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.0.0',
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.3',
  cdkVersion: '2.276.0',
  constructsVersion: '10.8.1',
  srcdir: 'lib',
  libdir: 'lib',
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  lambdaAutoDiscover: false,
  integrationTestAutoDiscover: false,
  docgen: true,
  // Python users get the same constructs through jsii; CI generates the module offline
  // (jsii-pacmak --code-only) and checks what it exposes. Nothing is published from here.
  publishToPypi: { distName: 'cdk-wave-pipelines', module: 'cdk_wave_pipelines' },
  // Public holidays are a table generated at build time from date-holidays (a devDependency),
  // see scripts/build-holiday-table.ts; luxon and ajv ship to users.
  bundledDeps: ['luxon', 'ajv@8.20.0'],
  devDeps: [
    'date-holidays@3.37.0',
    '@types/luxon',
    'esbuild',
    'aws-cdk',
    'cdk-nag',
    'aws-sdk-client-mock',
    'aws-sdk-client-mock-jest',
    // The alias-shift handler reads its stack's status to tell CloudFormation's rollback from a deployment.
    '@aws-sdk/client-cloudformation@3.1169.0',
    '@aws-sdk/client-cloudwatch',
    '@aws-sdk/client-codedeploy',
    '@aws-sdk/client-codepipeline',
    '@aws-sdk/client-ecs',
    '@aws-sdk/client-elastic-load-balancing-v2@3.1142.0',
    '@aws-sdk/client-lambda',
    '@aws-sdk/client-ssm',
    '@aws-sdk/client-sts',
    '@aws-sdk/client-synthetics',
    '@smithy/util-retry',
    '@smithy/service-error-classification@4.6.2',
    'ts-json-schema-generator@2.10.0',
    'fast-check@4.11.0',
    // Reads the headless Chromium screenshots of the timeline picture in test/cli.
    'pngjs@7.0.0',
    '@types/pngjs@6.0.5',
  ],
  bin: { 'wave-pipelines': 'lib/cli/main.js' },
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/examples/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/setup/setup.ts'],
      testTimeout: 120_000,
      // Sources, not the jsii output compiled beside them: tests never run stale JavaScript.
      moduleFileExtensions: ['ts', 'js', 'json', 'node'],
    },
  },
  tsconfigDev: { compilerOptions: { esModuleInterop: true } },
  gitignore: [
    '/lib/**/*.js', '/lib/**/*.d.ts', '!/lib/**/*.lambda.ts',
    '/assets/runtime/', '/schema/', '/examples/cdk.out/', '/cdk.out/', '/bench/out/', '*.plan.html',
  ],
  npmignoreEnabled: true,
});

// Lambda handlers are bundled ahead of time so that an asset hash depends only on the source.
const bundle = project.addTask('bundle:runtime', {
  description: 'Bundle the Lambda handlers in lib/runtime with esbuild into assets/runtime/<name>/index.js',
  exec: 'ts-node --transpile-only scripts/bundle-runtime.ts',
});
// The JSON Schemas of the declaration and the plan come from the TypeScript types; the model checks
// against them and the Lambda bundles inline them, so they are generated first.
const schema = project.addTask('schema', {
  description: 'Generate the JSON Schemas (schema/*.schema.json) from the TypeScript types of the declaration and the plan',
  exec: 'ts-node --transpile-only scripts/generate-schema.ts',
});
project.preCompileTask.spawn(schema);
project.preCompileTask.spawn(bundle);
// `npm test` is the README's one command: it builds (jsii included), tests and lints.
project.testTask.prependSpawn(project.compileTask);
project.testTask.prependSpawn(project.preCompileTask);

project.addTask('holidays', {
  description: 'Regenerate lib/model/holiday-table.json (public holidays, dated) from date-holidays',
  exec: 'ts-node --transpile-only scripts/build-holiday-table.ts',
});

project.addTask('example', {
  description: 'Synthesize the example app offline and print its release plan',
  exec: 'ts-node --transpile-only scripts/run-example.ts',
  receiveArgs: true,
});
// The timeline pictures at three spans through headless Chromium, kept in bench/out/timeline; the
// week-long one is the README's picture.
project.addTask('timeline:screenshots', {
  description: 'Screenshot the timeline picture at three spans with headless Chromium and refresh docs/example-timeline-week.png',
  env: { TIMELINE_SCREENSHOTS_DIR: 'bench/out/timeline', REQUIRE_CHROMIUM: '1' },
  steps: [
    { exec: 'jest --coverage=false test/cli/timeline-screenshots.test.ts' },
    { exec: 'cp bench/out/timeline/timeline-week.png docs/example-timeline-week.png' },
  ],
});
project.addTask('bench', {
  description: 'Benchmarks with ratios against a baseline measured in the same run',
  exec: 'ts-node --transpile-only bench/run.ts',
});

project.addFields({ files: ['lib/**/*.js', 'lib/**/*.d.ts', 'lib/model/holiday-table.json', 'assets/runtime/**', 'schema/*.schema.json', 'schema/*.validate.js', '.jsii', 'API.md'] });
project.synth();
