// The cluster run: ocf-tester on our DRBD agent, the cluster brought up, then for each stack, anchor
// (LINBIT/resource-agents) and lxcha (ours), the scenarios of scenarios/ in their order, and the timings.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WINDOWS_FILE, type ScenarioWindow } from './action-times.js';
import { PAYLOAD, type Cluster } from './cluster.js';
import { namedScenarios, selected, StackContext, type Scenario } from './context.js';
import { crm, POLL_MS } from './helpers.js';
import { Results } from './runner.js';
import { loadScenarios } from './scenarios/index.js';
import { SITES, type Stack } from './sites.js';
import { errorText, log, timed, waitFor } from './util.js';
import type { Vm } from './vm.js';

/** Each step's measured seconds, by `<stack>:<scenario>` (and `cluster-up`). */
type Timings = Map<string, number>;

async function startCluster(cluster: Cluster, results: Results, timings: Timings): Promise<void> {
  const [a] = cluster.vms as [Vm, Vm];
  const { seconds } = await timed(async () => {
    await Promise.all(
      cluster.vms.map((vm) => vm.run(['systemctl', 'start', 'corosync', 'pacemaker'], { timeoutS: 180 })),
    );
    await cluster.waitOnline(a, ['node1', 'node2'], 300_000);
    await crm(a, ['configure', 'load', 'update', `${PAYLOAD}/cluster/cib-base.crm`]);
    await crm(a, ['configure', 'load', 'update', `${PAYLOAD}/cluster/cib-fence-lxcha.crm`]);
    await waitFor(
      'fence device st_lxcha started',
      180_000,
      async () => {
        const s = await cluster.state(a);
        return s?.resources.some((r) => r.id === 'st_lxcha' && r.role === 'Started') === true
          ? true
          : undefined;
      },
      POLL_MS,
    );
  });
  timings.set('cluster-up', seconds);
  results.report(
    true,
    'cluster-up',
    `corosync+pacemaker on node1+node2 online, stonith:fence_lxcha started in ${seconds.toFixed(0)}s`,
  );
}

/**
 * Configures one stack (both sites) by its scenarios, `start` first, and removes it again when another stack
 * follows (the last one goes down with the VMs). With `everyScenario` it also runs those whose `stacks` omit it.
 */
async function runStack(
  cluster: Cluster,
  stack: Stack,
  scenarios: readonly Scenario[],
  results: Results,
  timings: Timings,
  everyScenario: boolean,
  anotherStackFollows: boolean,
  windows: ScenarioWindows | undefined,
): Promise<void> {
  // Each stack with its own DRBD fence-peer handler: drbd-utils' for the anchor, the suite's for lxcha.
  const fencePeer = process.env.LXCHA_FENCE_PEER ?? (stack === 'anchor' ? 'linbit' : 'suite');
  if (fencePeer === 'linbit' || fencePeer === 'suite') {
    for (const vm of cluster.vms) await cluster.ensurePayload(vm);
    for (const vm of cluster.vms)
      await vm.run(['/bin/sh', `${PAYLOAD}/cluster/set-fence-peer.sh`, fencePeer]);
  }

  const ctx = new StackContext(cluster, stack, fencePeer, anotherStackFollows, results, timings);
  const only = namedScenarios();
  for (const scenario of scenarios) {
    if (!selected(scenario, stack, only, everyScenario)) continue;
    if (scenario.when?.(ctx) === false) continue;
    if (scenario.checksData === true) ctx.data.expect();
    const fromMs = Date.now();
    const ok = await results.step(`${stack}:${scenario.name}`, () => scenario.run(ctx));
    windows?.add({ stack, scenario: scenario.name, fromMs, toMs: Date.now() });
    if (!ok && scenario.prerequisite === true) return;
  }
}

/** ocf-tester on ocf:lxcha:drbd-lvm on node1, with the first site outside the cluster's control (peer up as Secondary). */
async function ocfTester(cluster: Cluster, results: Results): Promise<void> {
  const [a, b] = cluster.vms as [Vm, Vm];
  const site = SITES[0];
  if (site === undefined) throw new Error('no site in sites.ts');
  try {
    await b.run(['drbdadm', 'up', site.res], { timeoutS: 120 });
    // The agent's stop takes the resource down on node1; node2 stays Secondary, so DRBD calls no fence-peer handler.
    const { value: r, seconds } = await timed(() =>
      a.exec(
        [
          'ocf-tester',
          '-v',
          '-n',
          'test_drbdlvm',
          '-o',
          `drbd_resource=${site.res}`,
          '-o',
          `vgname=${site.vg}`,
          '/usr/lib/ocf/resource.d/lxcha/drbd-lvm',
        ],
        { timeoutS: 900 },
      ),
    );
    const lines = (r.stdout + r.stderr).trim().split('\n');
    // -v prints every call's output: all of it when a test failed (the agent's exit reason is in it), else
    // ocf-tester's own verdict lines.
    const verdicts = lines.filter((l) => /^(Beginning|Tests|\* |.* passed all tests)/.test(l));
    log(`ocf-tester output:\n${(r.code === 0 ? verdicts : lines).join('\n')}`);
    results.report(
      r.code === 0,
      'lxcha:ocf-tester-drbd-lvm',
      `exit ${r.code} in ${seconds.toFixed(0)}s on node1: ${verdicts.slice(-1)[0] ?? lines.slice(-1)[0] ?? ''}`,
    );
  } catch (error) {
    results.report(false, 'lxcha:ocf-tester-drbd-lvm', errorText(error));
  } finally {
    await a.exec(['drbdadm', 'down', site.res]).catch(() => undefined);
    await b.exec(['drbdadm', 'down', site.res]).catch(() => undefined);
  }
}

/** Each scenario's window, kept in a file of the run's log folder as it ends (the per-action table reads it). */
class ScenarioWindows {
  private readonly windows: ScenarioWindow[] = [];
  constructor(private readonly file: string) {}

  add(window: ScenarioWindow): void {
    this.windows.push(window);
    writeFileSync(this.file, `${JSON.stringify(this.windows, null, 1)}\n`);
  }
}

export async function runScenarios(
  cluster: Cluster,
  stacks: Stack[],
  ocfTesterOnly = false,
  logDir?: string,
): Promise<Results> {
  const windows = logDir === undefined ? undefined : new ScenarioWindows(path.join(logDir, WINDOWS_FILE));
  const scenarios = await loadScenarios();
  const results = new Results();
  const timings: Timings = new Map();
  const unbuilt = ['dist/ocf/resource.d/lxcha/drbd-lvm', 'dist/ocf/resource.d/lxcha/lxc'].filter(
    (f) => !existsSync(path.join(cluster.repo, f)),
  );
  const lxcha = stacks.includes('lxcha') && unbuilt.length === 0;
  if (stacks.includes('lxcha') && !lxcha)
    results.report(false, 'lxcha:stack', `not built yet: ${unbuilt.join(', ')} (npm run build)`);
  // ocf-tester drives DRBD by hand: it runs before Pacemaker starts, so the cluster never sees it.
  if (lxcha) await ocfTester(cluster, results);
  if (ocfTesterOnly) return results;
  try {
    await startCluster(cluster, results, timings);
  } catch (error) {
    results.report(false, 'cluster-up', errorText(error));
    return results;
  }
  // Within the time budget the anchor stack, when only run for comparison, gets the scenarios that name it
  // (start, data-on-lv, switchover, node-crash, data, remove); run alone or LXCHA_CLUSTER_FULL=1: every one.
  const everyScenario = !lxcha || process.env.LXCHA_CLUSTER_FULL === '1';
  // Ours first: if a run is cut short, the results that matter most exist.
  const order = (['lxcha', 'anchor'] as const).filter((s) => stacks.includes(s) && (s !== 'lxcha' || lxcha));
  for (const [i, stack] of order.entries()) {
    try {
      await runStack(
        cluster,
        stack,
        scenarios,
        results,
        timings,
        everyScenario,
        i < order.length - 1,
        windows,
      );
    } catch (error) {
      results.report(false, `${stack}:setup`, errorText(error));
    }
  }
  for (const name of ['start', 'switchover', 'node-crash', 'partition']) {
    const anchor = timings.get(`anchor:${name}`);
    const ours = timings.get(`lxcha:${name}`);
    if (anchor !== undefined && ours !== undefined) {
      console.log(
        `timing ${name}: anchor ${anchor.toFixed(1)}s, lxcha ${ours.toFixed(1)}s, ratio lxcha/anchor ${(ours / anchor).toFixed(2)}`,
      );
    }
  }
  return results;
}
