// The Pacemaker clients' command lines and parsers: crm_attribute --promotion, crm_resource --locate,
// the CIB's resources and node states, and the notify environment.
import { describe, expect, it } from 'vitest';
import { readNotifyEvent } from '../../../lib/ocf/notify.js';
import {
  PromotionScore,
  cloneBaseName,
  hasPromotionOption,
  parsePacemakerVersion,
  saysClusterDown,
} from '../../../lib/pacemaker/crm-attribute.js';
import {
  fenceConstraintXml,
  findManagingClone,
  parseCib,
  parseLocate,
  parseNodeStates,
} from '../../../lib/pacemaker/cib.js';
import { asResult, hostRecording, recordedRunner } from '../drbd/recorded.js';

describe('PromotionScore', () => {
  it('uses crm_attribute --promotion=<clone> (never crm_master), without the instance suffix', async () => {
    const calls: string[][] = [];
    const score = new PromotionScore({
      run: recordedRunner(() => ({ stdout: '', stderr: '', exitCode: 0 }), calls),
      resource: 'drbdlvm:1',
    });
    await score.set(10000);
    await score.delete();
    expect(calls).toEqual([
      ['crm_attribute', '--promotion=drbdlvm', '--update', '10000'],
      ['crm_attribute', '--promotion=drbdlvm', '--delete'],
    ]);
    expect(cloneBaseName('rsc')).toBe('rsc');
  });
  it('reads an unset score as undefined', async () => {
    const score = new PromotionScore({
      run: recordedRunner(() => ({
        stdout: '',
        stderr: 'Error performing operation: No such device or address\n',
        exitCode: 105,
      })),
      resource: 'x',
    });
    expect(await score.get()).toBeUndefined();
  });
});

const resources = parseCib(`<resources>
  <primitive id="other" class="ocf" provider="heartbeat" type="Dummy"/>
  <clone id="plain-clone"><primitive id="p2" class="ocf" provider="lxcha" type="drbd-lvm"><instance_attributes id="i2"><nvpair id="n2" name="drbd_resource" value="r1"/></instance_attributes></primitive></clone>
  <clone id="drbd-clone"><meta_attributes id="m"><nvpair id="m1" name="promotable" value="true"/></meta_attributes>
    <primitive id="drbd" class="ocf" provider="lxcha" type="drbd-lvm"><instance_attributes id="i"><nvpair id="n" name="drbd_resource" value="r0"/></instance_attributes></primitive></clone>
  <master id="old-ms"><primitive id="old" class="ocf" provider="linbit" type="drbd"><instance_attributes id="i3"><nvpair id="n3" name="drbd_resource" value="r9"/></instance_attributes></primitive></master>
</resources>`);

describe('PromotionScore: the Pacemaker version and a cluster that is down (pacemaker-host recordings)', () => {
  it('reads crm_attribute --version as recorded on 2.1.5, and knows --promotion came with 2.1.0', async () => {
    const calls: string[][] = [];
    const score = new PromotionScore({
      run: recordedRunner(() => hostRecording('pacemaker-host', 'crm_attribute-version'), calls),
      resource: 'x:0',
    });
    const v = await score.version();
    expect(calls).toEqual([['crm_attribute', '--version']]);
    expect(v).toEqual({ major: 2, minor: 1, patch: 5, text: '2.1.5' });
    expect(v !== undefined && hasPromotionOption(v)).toBe(true);
    const older = parsePacemakerVersion('Pacemaker 2.0.5\nWritten by Andrew Beekhof\n');
    expect(older?.text).toBe('2.0.5');
    expect(older !== undefined && hasPromotionOption(older)).toBe(false);
    expect(hasPromotionOption({ major: 3, minor: 0, patch: 0, text: '3.0.0' })).toBe(true);
    expect(parsePacemakerVersion('Pacemaker 2.1.0-rc1')?.text).toBe('2.1.0-rc1');
    expect(parsePacemakerVersion('something else')).toBeUndefined();
  });

  it('tells "no cluster here" (every -down recording) from other failures', () => {
    for (const name of ['crm_attribute-update-down', 'crm_attribute-query-down', 'crm_attribute-delete-down'])
      expect(saysClusterDown(asResult('crm_attribute', [], hostRecording('pacemaker-host', name)))).toBe(
        true,
      );
    expect(
      saysClusterDown(asResult('crm_attribute', [], hostRecording('pacemaker-host', 'crm_attribute-update'))),
    ).toBe(false);
    expect(
      saysClusterDown(
        asResult('crm_attribute', [], { stdout: '', stderr: 'Timer expired\n', exitCode: 124 }),
      ),
    ).toBe(false);
  });
});

describe('CIB', () => {
  it('finds the promotable clone managing a DRBD resource (also an old master/slave)', () => {
    expect(findManagingClone(resources, 'r0')).toEqual({
      cloneId: 'drbd-clone',
      primitiveId: 'drbd',
      agent: 'ocf:lxcha:drbd-lvm',
    });
    expect(findManagingClone(resources, 'r9')?.cloneId).toBe('old-ms');
    expect(findManagingClone(resources, 'r1')).toBeUndefined();
    expect(findManagingClone(resources, 'nope')).toBeUndefined();
  });
  it('node states: member, online, expected down', () => {
    const status = parseCib(
      '<status><node_state id="1" uname="node1" in_ccm="true" crmd="online" expected="member"/><node_state id="2" uname="node2" in_ccm="1700000000" crmd="online"/><node_state id="3" uname="node3" in_ccm="false" crmd="offline" expected="member"/><node_state id="4" uname="node4" in_ccm="false" crmd="offline" join="down" expected="down"/></status>',
    );
    expect(parseNodeStates(status)).toEqual([
      { uname: 'node1', online: true, member: true, expectedDown: false },
      { uname: 'node2', online: true, member: true, expectedDown: false },
      // Lost, its fencing not yet done; then fenced (or left cleanly).
      { uname: 'node3', online: false, member: false, expectedDown: false },
      { uname: 'node4', online: false, member: false, expectedDown: true },
    ]);
  });
  it('crm_resource --locate', () => {
    expect(
      parseLocate(
        'resource drbd-clone is running on: node2 Promoted\nresource drbd-clone is running on: node1\n',
      ),
    ).toEqual([
      { node: 'node2', promoted: true },
      { node: 'node1', promoted: false },
    ]);
    expect(parseLocate('resource x is running on: node1 Master\n')).toEqual([
      { node: 'node1', promoted: true },
    ]);
  });
  it('the fence constraint escapes what it quotes', () => {
    expect(fenceConstraintXml('id', 'c', 'a"b', 'Promoted')).toContain('value="a&quot;b"');
  });
});

describe('notify environment', () => {
  const meta =
    (values: Record<string, string>) =>
    (name: string): string | undefined =>
      values[name];
  it('reads type, operation and node lists, merging old and new role names', () => {
    const event = readNotifyEvent(
      meta({
        notify_type: 'post',
        notify_operation: 'promote',
        notify_promote_uname: 'node2 ',
        notify_master_uname: 'node2',
        notify_promoted_uname: 'node2',
      }),
    );
    expect(event?.type).toBe('post');
    expect(event?.operation).toBe('promote');
    expect(event?.nodes.promote).toEqual(['node2']);
    expect(event?.nodes.promoted).toEqual(['node2']);
  });
  it('is undefined without a well-formed notification', () => {
    expect(readNotifyEvent(meta({}))).toBeUndefined();
    expect(readNotifyEvent(meta({ notify_type: 'post', notify_operation: 'migrate' }))).toBeUndefined();
  });
});
