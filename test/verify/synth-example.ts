// Synthesizes the example app into the directory given as the only argument. Run in its own node
// process by the determinism test, so two syntheses share no module state.
import { buildExampleApp } from '../../examples/app';

const outdir = process.argv[2];
if (!outdir) {
  console.error('usage: ts-node test/verify/synth-example.ts <outdir>');
  process.exit(2);
}
buildExampleApp(outdir).app.synth();
