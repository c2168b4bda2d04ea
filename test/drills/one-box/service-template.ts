/**
 * The example's service stack (examples/service/service-stack.ts, with `LambdaOneBox`) as
 * CloudFormation deploys it: read from a target's synthesized stage template and resolved with
 * the values a deployment gives it (physical names, the version Lambda published). The one-box
 * drills deploy exactly what the pipeline would: the alias-shift custom resource's properties
 * (its `Weight` differs between the one-box and the fleet template), the alarms with their
 * `ExecutedVersion` dimension, the composite alarms and the health manifests.
 *
 * Intrinsic functions: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
 * (`Ref` of a function is its name, of an alarm its name; `Fn::GetAtt` of an
 * `AWS::Lambda::Version` gives `Version`, of an alarm `Arn`.)
 */
import * as fs from 'fs';
import { AlarmDefinition } from '../emulator/metric-alarm-evaluation';

export const ALIAS_SHIFT_TYPE = 'Custom::WavePipelinesAliasShift';

/** What a deployment gives the template. */
export interface DeploymentValues {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  /** The version Lambda published for this deployment's code. */
  readonly version: string;
}

export interface ResolvedAlarm {
  readonly logicalId: string;
  readonly definition: AlarmDefinition;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Array<{ Name: string; Value: string }>;
  readonly statistic: string;
  /** Metric-math queries (`Metrics`), as DescribeAlarms returns them. */
  readonly metrics?: unknown[];
}

export interface ResolvedService {
  readonly functionName: string;
  readonly aliasName: string;
  readonly apiName: string;
  readonly customResources: Array<{ logicalId: string; type: string; properties: Record<string, string> }>;
  readonly alarms: ResolvedAlarm[];
  readonly composites: Array<{ name: string; children: string[] }>;
  readonly parameters: Array<{ name: string; value: string }>;
  readonly canaries: string[];
}

const templates = new Map<string, any>();

export function readTemplate(file: string): any {
  let template = templates.get(file);
  if (!template) {
    template = JSON.parse(fs.readFileSync(file, 'utf8'));
    templates.set(file, template);
  }
  return template;
}

export function resolveService(template: any, values: DeploymentValues): ResolvedService {
  const resources: Record<string, any> = template.Resources ?? {};
  const of = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const resolve = (value: unknown): any => resolveValue(value, resources, values);

  const customResources = of(ALIAS_SHIFT_TYPE).map(([logicalId, r]) => {
    const properties: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.Properties ?? {})) properties[k] = String(resolve(v));
    return { logicalId, type: r.Type as string, properties };
  });
  if (customResources.length !== 1) throw new Error(`drills: expected one ${ALIAS_SHIFT_TYPE} in ${values.stackName}, found ${customResources.length}`);
  const shift = customResources[0].properties;
  const apis = of('AWS::ApiGateway::RestApi');
  if (apis.length !== 1) throw new Error(`drills: expected one REST API in ${values.stackName}, found ${apis.length}`);

  const alarms: ResolvedAlarm[] = of('AWS::CloudWatch::Alarm').map(([logicalId, r]) => {
    const p = r.Properties;
    const name = resolve({ Ref: logicalId });
    const dimensions = (p.Dimensions ?? []).map((d: any) => ({ Name: d.Name, Value: String(resolve(d.Value)) }));
    const metrics = p.Metrics ? (resolve(p.Metrics) as any[]) : undefined;
    const queries = metrics ?? [{
      Id: 'm0',
      MetricStat: {
        Metric: { Namespace: p.Namespace, MetricName: p.MetricName, Dimensions: dimensions },
        Period: p.Period,
        Stat: p.Statistic ?? p.ExtendedStatistic,
      },
      ReturnData: true,
    }];
    const period = metrics ? metrics.find((m) => m.MetricStat)?.MetricStat.Period : p.Period;
    return {
      logicalId,
      namespace: p.Namespace ?? '',
      metricName: p.MetricName ?? '',
      dimensions,
      statistic: p.Statistic ?? p.ExtendedStatistic ?? '',
      ...(metrics ? { metrics } : {}),
      definition: {
        name,
        threshold: p.Threshold,
        comparisonOperator: p.ComparisonOperator,
        evaluationPeriods: p.EvaluationPeriods,
        datapointsToAlarm: p.DatapointsToAlarm ?? p.EvaluationPeriods,
        treatMissingData: p.TreatMissingData ?? 'missing',
        period,
        queries,
      },
    };
  });

  const composites = of('AWS::CloudWatch::CompositeAlarm').map(([, r]) => {
    const rule = String(resolve(r.Properties.AlarmRule));
    const children = [...rule.matchAll(/ALARM\("arn:aws:cloudwatch:[^:]+:[^:]+:alarm:([^"]+)"\)/g)].map((m) => m[1]);
    if (children.length === 0 || /\bAND\b|\bNOT\b/.test(rule)) throw new Error(`emulator: unimplemented composite alarm rule ${rule}`);
    return { name: String(resolve(r.Properties.AlarmName)), children };
  });

  return {
    functionName: shift.FunctionName,
    aliasName: shift.AliasName,
    apiName: String(resolve(apis[0][1].Properties.Name)),
    customResources,
    alarms,
    composites,
    parameters: of('AWS::SSM::Parameter').map(([, r]) => ({ name: String(resolve(r.Properties.Name)), value: String(resolve(r.Properties.Value)) })),
    canaries: of('AWS::Synthetics::Canary').map(([, r]) => String(resolve(r.Properties.Name))),
  };
}

function resolveValue(value: unknown, resources: Record<string, any>, values: DeploymentValues): any {
  const again = (v: unknown) => resolveValue(v, resources, values);
  if (Array.isArray(value)) return value.map(again);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if ('Ref' in obj) return ref(String(obj.Ref), resources, values);
  if ('Fn::GetAtt' in obj) {
    const [logicalId, attribute] = obj['Fn::GetAtt'] as [string, string];
    const resource = resources[logicalId];
    if (!resource) throw new Error(`drills: Fn::GetAtt of ${logicalId}, which ${values.stackName} does not declare`);
    if (resource.Type === 'AWS::Lambda::Version' && attribute === 'Version') return values.version;
    if (resource.Type === 'AWS::CloudWatch::Alarm' && attribute === 'Arn') {
      return `arn:aws:cloudwatch:${values.region}:${values.account}:alarm:${ref(logicalId, resources, values)}`;
    }
    return `arn:aws:emulated:${values.region}:${values.account}:${logicalId}/${attribute}`;
  }
  if ('Fn::Join' in obj) {
    const [separator, parts] = obj['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => String(again(p))).join(separator);
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, again(v)]));
}

/** Physical names: the name the template gives, else one CloudFormation would generate from the stack and the logical ID. */
function ref(logicalId: string, resources: Record<string, any>, values: DeploymentValues): string {
  if (logicalId === 'AWS::Region') return values.region;
  if (logicalId === 'AWS::AccountId') return values.account;
  if (logicalId === 'AWS::URLSuffix') return 'amazonaws.com';
  if (logicalId === 'AWS::StackName') return values.stackName;
  const resource = resources[logicalId];
  if (!resource) throw new Error(`drills: Ref of ${logicalId}, which ${values.stackName} does not declare`);
  const p = resource.Properties ?? {};
  // A REST API's Ref is its generated id, not its name.
  if (resource.Type === 'AWS::ApiGateway::RestApi') return `${logicalId.toLowerCase().slice(0, 10)}`;
  const given = p.AlarmName ?? p.FunctionName ?? p.Name;
  if (typeof given === 'string') return given;
  return `${values.stackName}-${logicalId}`;
}
