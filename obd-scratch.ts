import * as fs from 'fs';
import * as path from 'path';
import { buildExampleApp, ORDERS_RELEASE } from './examples/app';
const out = '/tmp/obd/out';
fs.rmSync(out, { recursive: true, force: true });
const t0 = Date.now();
const { app, stack } = buildExampleApp(out, ORDERS_RELEASE);
app.synth();
console.log('synth ms', Date.now() - t0);
const template = JSON.parse(fs.readFileSync(path.join(out, `${stack.artifactId}.template.json`), 'utf8'));
const p: any = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::CodePipeline::Pipeline');
for (const s of p.Properties.Stages) {
  if (!/Prod-Wave-1|Gamma/.test(s.Name)) continue;
  console.log(s.Name, JSON.stringify(s.OnFailure));
  for (const a of s.Actions) console.log('  ', a.RunOrder, a.Name, a.ActionTypeId.Provider, a.Region, JSON.stringify(a.Configuration?.StackName), a.Configuration?.ActionMode, a.Configuration?.TemplatePath);
}
import { planTargets, planFileName } from './lib/model/plan';
import { readPlanFile } from './lib/runtime/plan-file';
const plan = readPlanFile(path.join(out, planFileName(stack.pipeline.plan.pipelineName)));
for (const t of planTargets(plan)) console.log(t.id, t.kind, t.stageName, t.region, JSON.stringify(t.bake));
// custom resources in stage templates
for (const d of fs.readdirSync(out).filter((d) => d.startsWith('assembly-') && /Wave-1/.test(d))) {
  for (const f of fs.readdirSync(path.join(out, d)).filter((f) => f.endsWith('.template.json'))) {
    const t = JSON.parse(fs.readFileSync(path.join(out, d, f), 'utf8'));
    for (const [id, r] of Object.entries<any>(t.Resources)) {
      if (r.Type === 'Custom::WavePipelinesAliasShift' || r.Type === 'AWS::SSM::Parameter' || r.Type === 'AWS::Lambda::Version') console.log(d, id, r.Type, JSON.stringify(r.Properties).slice(0, 1500));
    }
  }
}
