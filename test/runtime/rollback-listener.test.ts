// The one-box rollback of an ECS one-box: its target group drained from the weighted listener.
// DescribeListeners: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeListeners.html
// ModifyListener (a list property is replaced whole): https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyListener.html
import {
  Action, DescribeListenersCommand, ElasticLoadBalancingV2Client, ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { HEALTH_MANIFEST_VERSION, HealthManifest } from '../../lib/model/health-manifest';
import { TARGET_KIND } from '../../lib/model/plan';
import { createOwnTargetClients } from '../../lib/runtime/aws-clients';
import { rollBackDeploymentsAndAliases } from '../../lib/runtime/rollback';

const NOW = new Date('2027-02-09T09:04:01Z');
const LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:333333333333:listener/app/shop-lb/50dc6c495c0c9188/f2f7dc8efc522ab2';
const ONE_BOX = 'arn:aws:elasticloadbalancing:eu-west-1:333333333333:targetgroup/shop-onebox/2453ed029918f21f';
const FLEET = 'arn:aws:elasticloadbalancing:eu-west-1:333333333333:targetgroup/shop-fleet/943f017f100becff';
const elbv2 = mockClient(ElasticLoadBalancingV2Client);

const manifest: HealthManifest = {
  schemaVersion: HEALTH_MANIFEST_VERSION,
  targetId: 'prod-wave-1-eu-west-1-onebox',
  compositeAlarmName: 'shop-pipeline-prod-wave-1-eu-west-1-onebox-health',
  alarmNames: ['OneBoxErrors'],
  canaryNames: [],
  deploymentGroups: [],
  aliases: [],
  listeners: [{ listenerArn: LISTENER, oneBoxTargetGroupArn: ONE_BOX }],
};

function listenerWith(defaultActions: Action[]) {
  elbv2.on(DescribeListenersCommand, { ListenerArns: [LISTENER] })
    .resolves({ Listeners: [{ ListenerArn: LISTENER, DefaultActions: defaultActions }] });
  elbv2.on(ModifyListenerCommand).resolves({});
}

const weighted = (fleet: number, oneBox: number): Action => ({
  Type: 'forward', Order: 1, ForwardConfig: { TargetGroups: [{ TargetGroupArn: FLEET, Weight: fleet }, { TargetGroupArn: ONE_BOX, Weight: oneBox }] },
});

const drain = (kind: string = TARGET_KIND.ONE_BOX, m: HealthManifest = manifest) =>
  rollBackDeploymentsAndAliases(createOwnTargetClients('eu-west-1'), m, kind, NOW);

beforeEach(() => elbv2.reset());

describe('one-box rollback drains the one-box target group from its listener', () => {
  test('weight 10 -> 0, the fleet keeps its 90, every other default action sent back as it was', async () => {
    const authenticate: Action = {
      Type: 'authenticate-oidc',
      Order: 0,
      AuthenticateOidcConfig: { Issuer: 'https://idp.example.com', AuthorizationEndpoint: 'https://idp.example.com/a', TokenEndpoint: 'https://idp.example.com/t', UserInfoEndpoint: 'https://idp.example.com/u', ClientId: 'shop' },
    };
    listenerWith([authenticate, weighted(90, 10)]);
    const items = await drain();
    expect(items).toEqual([{
      kind: 'LISTENER',
      resource: LISTENER,
      action: 'RESET',
      detail: `the one-box target group ${ONE_BOX} weighed 10; now 0, no new request reaches it (weights: ${FLEET} 90, ${ONE_BOX} 0)`,
    }]);
    expect(elbv2).toHaveReceivedCommandTimes(ModifyListenerCommand, 1);
    expect(elbv2).toHaveReceivedCommandWith(ModifyListenerCommand, {
      ListenerArn: LISTENER,
      DefaultActions: [
        // DescribeListeners returns no client secret; ModifyListener then needs UseExistingClientSecret.
        { ...authenticate, AuthenticateOidcConfig: { ...authenticate.AuthenticateOidcConfig!, UseExistingClientSecret: true } },
        { Type: 'forward', Order: 1, ForwardConfig: { TargetGroups: [{ TargetGroupArn: FLEET, Weight: 90 }, { TargetGroupArn: ONE_BOX, Weight: 0 }] } },
      ],
    });
  });

  test('a fleet group at weight 0 takes the one-box\'s former weight: a forward of all zeros routes nowhere', async () => {
    listenerWith([weighted(0, 10)]);
    const [item] = await drain();
    expect(item.action).toBe('RESET');
    expect(elbv2).toHaveReceivedCommandWith(ModifyListenerCommand, {
      DefaultActions: [{ Type: 'forward', Order: 1, ForwardConfig: { TargetGroups: [{ TargetGroupArn: FLEET, Weight: 10 }, { TargetGroupArn: ONE_BOX, Weight: 0 }] } }],
    });
  });

  test('already at 0 (the other rollback drained it first): NONE, nothing modified', async () => {
    listenerWith([weighted(100, 0)]);
    expect(await drain()).toEqual([{
      kind: 'LISTENER', resource: LISTENER, action: 'NONE', detail: `the one-box target group ${ONE_BOX} already weighs 0: no request reaches it`,
    }]);
    expect(elbv2).not.toHaveReceivedCommand(ModifyListenerCommand);
  });

  test('the forward names no such target group: NONE, saying why', async () => {
    listenerWith([{ Type: 'forward', TargetGroupArn: FLEET, ForwardConfig: { TargetGroups: [{ TargetGroupArn: FLEET, Weight: 1 }] } }]);
    const [item] = await drain();
    expect(item).toEqual({
      kind: 'LISTENER',
      resource: LISTENER,
      action: 'NONE',
      detail: `the default action forwards to no target group ${ONE_BOX}; no request reaches the one-box through this listener`,
    });
    expect(elbv2).not.toHaveReceivedCommand(ModifyListenerCommand);
  });

  test('a forward to the one-box alone cannot be drained: ERROR with the fix', async () => {
    listenerWith([{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: ONE_BOX, Weight: 1 }] } }]);
    const [item] = await drain();
    expect(item.action).toBe('ERROR');
    expect(item.detail).toMatch(/forward to the fleet's target group too$/);
    expect(elbv2).not.toHaveReceivedCommand(ModifyListenerCommand);
  });

  test('ModifyListener denied: ERROR naming the API error', async () => {
    listenerWith([weighted(90, 10)]);
    elbv2.on(ModifyListenerCommand).rejects(Object.assign(new Error('User is not authorized to perform: elasticloadbalancing:ModifyListener'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    const [item] = await drain();
    expect(item).toEqual({
      kind: 'LISTENER',
      resource: LISTENER,
      action: 'ERROR',
      detail: `cannot drain the one-box target group ${ONE_BOX}: AccessDenied: User is not authorized to perform: elasticloadbalancing:ModifyListener`,
    });
  });

  test('a fleet target leaves the listener alone: its deployment keeps the one-box weight', async () => {
    listenerWith([weighted(90, 10)]);
    expect(await drain(TARGET_KIND.FLEET)).toEqual([]);
    expect(elbv2).not.toHaveReceivedCommand(DescribeListenersCommand);
    expect(elbv2).not.toHaveReceivedCommand(ModifyListenerCommand);
  });

  test('a manifest written before listeners existed drains nothing', async () => {
    const { listeners: _l, ...old } = manifest;
    expect(await drain(TARGET_KIND.ONE_BOX, old)).toEqual([]);
    expect(elbv2).not.toHaveReceivedCommand(DescribeListenersCommand);
  });
});
