/**
 * The ECS drill service's stack (ecs-service-app.ts, with `EcsOneBox`) as CloudFormation deploys
 * it: read from a target's synthesized stage template and resolved with the values a deployment
 * gives it (physical names, the task definition revision ECS registered, the fleet pin's answer).
 *
 * Intrinsic functions and return values:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
 * (`Ref` of an AWS::ECS::TaskDefinition is its ARN, of an AWS::ECS::Cluster its name, of a load
 * balancer, target group or listener its ARN; `Fn::GetAtt` `LoadBalancerFullName` is
 * `app/<name>/<id>`, `TargetGroupFullName` is `targetgroup/<name>/<id>`; a custom resource's
 * attributes are the `Data` its provider returned.)
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-taskdefinition.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-loadbalancer.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-targetgroup.html
 */
import { DesiredCustomResource } from '../emulator/custom-resource';
import { AlarmDefinition } from '../emulator/metric-alarm-evaluation';

export const FLEET_PIN_TYPE = 'Custom::WavePipelinesEcsFleetPin';

/** What a deployment gives the template. */
export interface EcsDeploymentValues {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  /** ARN of the revision ECS registered for the stack's AWS::ECS::TaskDefinition. */
  readonly taskDefinitionArn: string;
  /** `Data` of each custom resource, by logical ID, as its provider last answered. */
  readonly customResourceData?: (logicalId: string) => Record<string, string> | undefined;
}

export interface ResolvedEcsService {
  readonly logicalId: string;
  readonly serviceName: string;
  readonly desiredCount: number;
  /** Resolved lazily: the fleet's may come from the fleet pin, which answers during the deployment. */
  readonly taskDefinition: () => string;
  readonly targetGroupFullName: string;
}

export interface ResolvedEcsAlarm {
  readonly definition: AlarmDefinition;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Array<{ Name: string; Value: string }>;
  readonly statistic: string;
}

export interface ResolvedEcsStack {
  readonly clusterName: string;
  readonly taskDefinitionFamily: string;
  readonly services: ResolvedEcsService[];
  readonly loadBalancerFullName: string;
  /** The listener's default forward action. */
  readonly forward: Array<{ targetGroupFullName: string; weight: number }>;
  /** The listener's ARN and its default actions as the template declares them (the API's shape). */
  readonly listenerArn: string;
  readonly defaultActions: any[];
  readonly fleetPins: DesiredCustomResource[];
  /**
   * `Custom::AWS` resources (aws-cdk-lib `AwsCustomResource`): the SDK call each makes on create
   * and update, as the JSON string the template gives its provider.
   */
  readonly sdkCalls: Array<{ readonly logicalId: string; readonly create: string; readonly update: string }>;
  /** ARNs on which some role of the stack may call elasticloadbalancing:ModifyListener. */
  readonly modifyListenerGrants: string[];
  /** ARNs on which the fleet pin handler's role may call ecs:DescribeServices. */
  readonly describeServicesGrants: string[];
  readonly alarms: ResolvedEcsAlarm[];
  readonly composites: Array<{ name: string; children: string[] }>;
  readonly parameters: Array<{ name: string; value: string }>;
}

export function resolveEcsStack(template: any, values: EcsDeploymentValues): ResolvedEcsStack {
  const resources: Record<string, any> = template.Resources ?? {};
  const of = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const one = (type: string): [string, any] => {
    const found = of(type);
    if (found.length !== 1) throw new Error(`drills: expected one ${type} in ${values.stackName}, found ${found.length}`);
    return found[0];
  };
  const resolve = (value: unknown): any => resolveValue(value, resources, values);

  const [, taskDefinition] = one('AWS::ECS::TaskDefinition');
  const [clusterId] = one('AWS::ECS::Cluster');
  const [lbId] = one('AWS::ElasticLoadBalancingV2::LoadBalancer');
  const [listenerId, listener] = one('AWS::ElasticLoadBalancingV2::Listener');
  const forwardAction = (listener.Properties.DefaultActions as any[]).find((a) => a.Type === 'forward');
  if (!forwardAction?.ForwardConfig) throw new Error(`drills: the listener of ${values.stackName} has no weighted forward action`);
  const fullNameOfGroup = (arn: string) => arn.split(':').pop()!;

  const services = of('AWS::ECS::Service').map(([logicalId, r]) => {
    const p = r.Properties;
    const groups = (p.LoadBalancers ?? []) as any[];
    if (groups.length !== 1) throw new Error(`drills: service ${logicalId} of ${values.stackName} has ${groups.length} target groups; the drills expect one`);
    return {
      logicalId,
      serviceName: String(p.ServiceName),
      desiredCount: Number(p.DesiredCount ?? 1),
      taskDefinition: () => String(resolve(p.TaskDefinition)),
      targetGroupFullName: fullNameOfGroup(String(resolve(groups[0].TargetGroupArn))),
    };
  });

  const fleetPins = of(FLEET_PIN_TYPE).map(([logicalId, r]) => {
    const properties: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.Properties ?? {})) properties[k] = String(resolve(v));
    return { logicalId, type: r.Type as string, properties };
  });
  const grantsOf = (action: string) => of('AWS::IAM::Policy').flatMap(([, r]) => (r.Properties.PolicyDocument.Statement as any[])
    .filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes(action))
    .flatMap((s) => [s.Resource].flat().map((x: unknown) => String(resolve(x)))));
  const describeServicesGrants = grantsOf('ecs:DescribeServices');

  const alarms = of('AWS::CloudWatch::Alarm').map(([logicalId, r]) => {
    const p = r.Properties;
    if (p.Metrics) throw new Error(`emulator: unimplemented metric-math alarm ${logicalId} in ${values.stackName}`);
    const dimensions = (p.Dimensions ?? []).map((d: any) => ({ Name: d.Name, Value: String(resolve(d.Value)) }));
    return {
      namespace: p.Namespace,
      metricName: p.MetricName,
      dimensions,
      statistic: p.Statistic ?? p.ExtendedStatistic,
      definition: {
        name: String(resolve({ Ref: logicalId })),
        threshold: p.Threshold,
        comparisonOperator: p.ComparisonOperator,
        evaluationPeriods: p.EvaluationPeriods,
        datapointsToAlarm: p.DatapointsToAlarm ?? p.EvaluationPeriods,
        treatMissingData: p.TreatMissingData ?? 'missing',
        period: p.Period,
        queries: [{
          Id: 'm0',
          MetricStat: { Metric: { Namespace: p.Namespace, MetricName: p.MetricName, Dimensions: dimensions }, Period: p.Period },
          ReturnData: true,
        }],
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
    clusterName: String(resolve({ Ref: clusterId })),
    taskDefinitionFamily: String(taskDefinition.Properties.Family),
    services,
    loadBalancerFullName: String(resolve({ 'Fn::GetAtt': [lbId, 'LoadBalancerFullName'] })),
    forward: (forwardAction.ForwardConfig.TargetGroups as any[]).map((g) => ({
      targetGroupFullName: fullNameOfGroup(String(resolve(g.TargetGroupArn))), weight: Number(g.Weight ?? 1),
    })),
    listenerArn: String(resolve({ Ref: listenerId })),
    defaultActions: resolve(listener.Properties.DefaultActions),
    fleetPins,
    sdkCalls: of('Custom::AWS').map(([logicalId, r]) => ({
      logicalId,
      create: String(resolve(r.Properties.Create ?? r.Properties.Update)),
      update: String(resolve(r.Properties.Update ?? r.Properties.Create)),
    })),
    modifyListenerGrants: sdkCallGrants(resources, 'elasticloadbalancing:ModifyListener', resolve),
    describeServicesGrants,
    alarms,
    composites,
    parameters: of('AWS::SSM::Parameter').map(([, r]) => ({ name: String(resolve(r.Properties.Name)), value: String(resolve(r.Properties.Value)) })),
  };
}

/**
 * Resources on which the role of the `Custom::AWS` provider function may call `action`: the
 * policies attached to the role of the function its ServiceToken names (the monitor roles' grants
 * do not count: the custom resource does not run as them).
 */
function sdkCallGrants(resources: Record<string, any>, action: string, resolve: (v: unknown) => any): string[] {
  const providers = Object.values(resources).filter((r) => r.Type === 'Custom::AWS').map((r) => r.Properties.ServiceToken?.['Fn::GetAtt']?.[0]);
  const roles = new Set(providers.map((fn) => resources[fn]?.Properties?.Role?.['Fn::GetAtt']?.[0]).filter(Boolean));
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as any[]).some((role) => roles.has(role?.Ref)))
    .flatMap((r) => (r.Properties.PolicyDocument.Statement as any[]))
    .filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes(action))
    .flatMap((s) => [s.Resource].flat().map((x: unknown) => String(resolve(x))));
}

function resolveValue(value: unknown, resources: Record<string, any>, values: EcsDeploymentValues): any {
  const again = (v: unknown) => resolveValue(v, resources, values);
  if (Array.isArray(value)) return value.map(again);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if ('Ref' in obj) return ref(String(obj.Ref), resources, values);
  if ('Fn::GetAtt' in obj) {
    const [logicalId, attribute] = obj['Fn::GetAtt'] as [string, string];
    return getAtt(logicalId, attribute, resources, values);
  }
  if ('Fn::Join' in obj) {
    const [separator, parts] = obj['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => String(again(p))).join(separator);
  }
  if ('Fn::Split' in obj) {
    const [separator, source] = obj['Fn::Split'] as [string, unknown];
    return String(again(source)).split(separator);
  }
  if ('Fn::Select' in obj) {
    const [index, list] = obj['Fn::Select'] as [number, unknown];
    const items = again(list) as unknown[];
    if (!Array.isArray(items) || items[Number(index)] === undefined) throw new Error(`drills: Fn::Select ${index} of ${JSON.stringify(items)}`);
    return items[Number(index)];
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, again(v)]));
}

/** Physical IDs CloudFormation would give, deterministic for a stack and logical ID. */
function physicalId(logicalId: string): string {
  let hash = 0;
  for (const c of logicalId) hash = (hash * 31 + c.charCodeAt(0)) % 2 ** 32;
  return hash.toString(16).padStart(8, '0').repeat(2);
}

function elbName(stackName: string, logicalId: string): string {
  return `${stackName}-${logicalId}`.slice(0, 32).replace(/-+$/, '');
}

function getAtt(logicalId: string, attribute: string, resources: Record<string, any>, values: EcsDeploymentValues): string {
  const resource = resources[logicalId];
  if (!resource) throw new Error(`drills: Fn::GetAtt of ${logicalId}, which ${values.stackName} does not declare`);
  const { region, account, stackName } = values;
  if (resource.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer' && attribute === 'LoadBalancerFullName') return `app/${elbName(stackName, logicalId)}/${physicalId(logicalId)}`;
  if (resource.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup' && attribute === 'TargetGroupFullName') return `targetgroup/${elbName(stackName, logicalId)}/${physicalId(logicalId)}`;
  if (resource.Type === 'AWS::CloudWatch::Alarm' && attribute === 'Arn') return `arn:aws:cloudwatch:${region}:${account}:alarm:${ref(logicalId, resources, values)}`;
  if (resource.Type === FLEET_PIN_TYPE) {
    const data = values.customResourceData?.(logicalId);
    if (data?.[attribute] === undefined) throw new Error(`drills: ${logicalId}.${attribute} read before its provider answered (Data ${JSON.stringify(data)})`);
    return data[attribute];
  }
  return `arn:aws:emulated:${region}:${account}:${logicalId}/${attribute}`;
}

function ref(logicalId: string, resources: Record<string, any>, values: EcsDeploymentValues): string {
  const { region, account, stackName } = values;
  if (logicalId === 'AWS::Region') return region;
  if (logicalId === 'AWS::AccountId') return account;
  if (logicalId === 'AWS::Partition') return 'aws';
  if (logicalId === 'AWS::URLSuffix') return 'amazonaws.com';
  if (logicalId === 'AWS::StackName') return stackName;
  const resource = resources[logicalId];
  if (!resource) throw new Error(`drills: Ref of ${logicalId}, which ${stackName} does not declare`);
  const p = resource.Properties ?? {};
  const elb = `arn:aws:elasticloadbalancing:${region}:${account}`;
  switch (resource.Type) {
    case 'AWS::ECS::TaskDefinition': return values.taskDefinitionArn;
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer': return `${elb}:loadbalancer/${getAtt(logicalId, 'LoadBalancerFullName', resources, values)}`;
    case 'AWS::ElasticLoadBalancingV2::TargetGroup': return `${elb}:${getAtt(logicalId, 'TargetGroupFullName', resources, values)}`;
    case 'AWS::ElasticLoadBalancingV2::Listener': {
      const lb = String(resolveValue(p.LoadBalancerArn, resources, values)).split(':loadbalancer/')[1];
      return `${elb}:listener/${lb}/${physicalId(logicalId)}`;
    }
    default: {
      const given = p.AlarmName ?? p.ClusterName ?? p.ServiceName ?? p.Name;
      return typeof given === 'string' ? given : `${stackName}-${logicalId}`;
    }
  }
}
