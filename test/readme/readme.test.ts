// The README is read as code: every TypeScript block compiles as written against this library
// (placeholders for the reader's own code in prelude.ts), and the pipeline picture shows the
// stages and regions of the app it names.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { ORDERS_RELEASE } from '../../examples/app';
import { planOf } from '../fixtures/plans/declarations';

const root = path.resolve(__dirname, '../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** Fenced blocks of `languages`, with the README line each starts on. */
function blocks(languages: string[]): Array<{ line: number; code: string }> {
  const found: Array<{ line: number; code: string }> = [];
  const pattern = /^```(\w+)\n([\s\S]*?)^```$/gm;
  for (const match of readme.matchAll(pattern)) {
    if (!languages.includes(match[1])) continue;
    found.push({ line: readme.slice(0, match.index).split('\n').length + 1, code: match[2] });
  }
  return found;
}

/** Compiler errors of each snippet, as `README.md:<line>: <message>`; one program compiles them all. */
function compileSnippets(snippets: Array<{ line: number; code: string }>): string[][] {
  const files = new Map(snippets.map((s, i) => [path.join(root, 'test', 'readme', `readme-snippet-${i + 1}.ts`), s]));
  const options: ts.CompilerOptions = {
    strict: true,
    noImplicitReturns: true,
    noUnusedLocals: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    experimentalDecorators: true,
    skipLibCheck: true,
    types: ['jest', 'node'],
    baseUrl: root,
    // What `import ... from 'cdk-wave-pipelines'` gives a user: this package's public API.
    paths: { 'cdk-wave-pipelines': ['lib/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (file) => files.has(path.resolve(file)) || ts.sys.fileExists(file);
  host.readFile = (file) => files.get(path.resolve(file))?.code ?? readFile(file);
  host.getSourceFile = (file, languageVersion, onError) => {
    const snippet = files.get(path.resolve(file));
    return snippet ? ts.createSourceFile(file, snippet.code, languageVersion, true) : getSourceFile(file, languageVersion, onError);
  };
  const program = ts.createProgram([path.join(__dirname, 'prelude.ts'), ...files.keys()], options, host);
  return [...files.entries()].map(([file, snippet]) => ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => {
    const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
    return `README.md:${snippet.line + at}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  }));
}

describe('README.md', () => {
  const snippets = blocks(['ts', 'typescript']);
  // A snippet using what the library does not have, compiled with the README's: the check can fail.
  const broken = { line: 1, code: "import { WavePipeline } from 'cdk-wave-pipelines';\nWavePipeline.fromNothing(buildApp());\n" };
  let errors: string[][];
  beforeAll(() => {
    errors = compileSnippets([...snippets, broken]);
  });

  test('has the TypeScript blocks a user copies: the 30-line example and the snapshot test', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(2);
    expect(snippets.some((s) => s.code.includes('new WavePipeline('))).toBe(true);
    expect(snippets.some((s) => s.code.includes('PipelineSnapshot.templates('))).toBe(true);
  });

  test('every TypeScript block compiles as written', () => {
    expect(errors.slice(0, snippets.length).flat()).toEqual([]);
  });

  test('the compile check fails on a snippet that uses what the library does not have', () => {
    expect(errors[snippets.length]).toEqual([
      expect.stringMatching(/^README\.md:2: Property 'fromNothing' does not exist on type 'typeof WavePipeline'/),
      expect.stringMatching(/^README\.md:2: Cannot find name 'buildApp'/),
    ]);
  });

  test('the pipeline picture names the app it shows, and shows that app\'s stages and regions in order', () => {
    const section = readme.slice(readme.indexOf('## The pipeline of the example app'));
    expect(section.split('\n')[0]).toContain('examples/app.ts');
    const mermaid = /```mermaid\n([\s\S]*?)```/.exec(section)![1];
    // Nodes are `Id[Stage: region, region, details]`.
    const drawn = [...mermaid.matchAll(/\w+\[([\w-]+): ([^\]]*)\]/g)]
      .filter(([, name]) => !['Build', 'UpdatePipeline', 'Assets'].includes(name))
      .map(([, name, text]) => `${name}: ${(text.match(/\b[a-z]{2}(?:-gov)?-[a-z]+-\d\b/g) ?? []).join(' ')}`);
    const plan = planOf(ORDERS_RELEASE, 'orders-api');
    expect(drawn).toEqual(plan.stages.map((s) => `${s.name}: ${s.regions.map((r) => r.region).join(' ')}`));
    // Bakes the picture mentions are the plan's.
    for (const [, name, text] of mermaid.matchAll(/\w+\[([\w-]+): ([^\]]*)\]/g)) {
      const bake = /bake (\d+)m/.exec(text);
      if (bake) expect(`${name} ${plan.stages.find((s) => s.name === name)!.regions[0].fleet.bake.minutes}`).toBe(`${name} ${bake[1]}`);
    }
  });
});
