// A fake two-node world for the drbd-lvm agent: the fakes of test/fakes/drbd-lvm on PATH, their state
// in a JSON file, and the built agent run as Pacemaker runs it (argv action, OCF_RESKEY_* environment).
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll } from 'vitest';

export const repo = fileURLToPath(new URL('../../..', import.meta.url));
export const builtAgent = path.join(repo, 'dist/ocf/resource.d/lxcha/drbd-lvm');
export const fakesDir = path.join(repo, 'test/fakes/drbd-lvm');
let agentPath = builtAgent;

/**
 * The agent is tested as built; build it when the test runner did not. The tests run a private copy,
 * so a concurrent `npm run build` (which empties dist/) cannot pull it away mid-run.
 */
export function ensureBuilt(): void {
  if (!existsSync(builtAgent))
    spawnSync(process.execPath, [path.join(repo, 'scripts/build.mjs')], { stdio: 'inherit' });
  copyDir = mkdtempSync(path.join(tmpdir(), 'lxcha-agent-'));
  // The launcher finds its bundle relative to itself: copy the whole built OCF tree.
  cpSync(path.join(repo, 'dist/ocf'), path.join(copyDir, 'ocf'), { recursive: true });
  agentPath = path.join(copyDir, 'ocf/resource.d/lxcha/drbd-lvm');
}
let copyDir: string | undefined;

/** Removes the private copy made by ensureBuilt. */
export function removeAgentCopy(): void {
  if (copyDir !== undefined) rmSync(copyDir, { recursive: true, force: true });
  copyDir = undefined;
  agentPath = builtAgent;
}

export type DiskState = 'UpToDate' | 'Consistent' | 'Outdated' | 'Inconsistent' | 'Diskless' | 'Failed';

export interface WorldOptions {
  readonly module?: '8.4' | '9';
  readonly loaded?: boolean;
  readonly disk?: DiskState;
  readonly peerReachable?: boolean;
  readonly peerRole?: 'Primary' | 'Secondary';
  readonly peerDisk?: DiskState;
  /** The VG's system ID (the last owner); '' for none. */
  readonly vgSystemId?: string;
  readonly vgTags?: readonly string[];
  readonly localSystemId?: string;
  readonly volumeList?: readonly string[] | null;
}

interface FakeResource {
  configured: boolean;
  up: boolean;
  role: 'Primary' | 'Secondary';
  disk: DiskState;
  storedDisk: DiskState;
  standalone?: boolean;
  backingPresent?: boolean;
  /** A Primary whose peer was lost under resource-and-stonith: a read of its device waits (fake: fails). */
  ioFrozen?: boolean;
  /** More nodes in drbd.conf than node1 and node2 (a DRBD 9 resource): `drbdadm dump` lists them. */
  extraPeers?: string[];
  peer: { reachable: boolean; role: string; disk: DiskState };
}
interface FakeVg {
  drbd: string;
  /** The UUID of the VG's one PV (pvs); the fake has a recorded one by default. */
  pvUuid?: string;
  systemId: string;
  tags: string[];
  lvs: Record<string, { active: boolean; minor: number }>;
}
/** The fakes' state file (test/fakes/drbd-lvm/fake.mjs). */
export interface FakeState {
  node: string;
  drbd: { module: '8.4' | '9'; loaded: boolean; resources: Record<string, FakeResource> };
  lvm: {
    devRoot: string;
    systemIdSource: string;
    systemId: string;
    volumeList: string[] | null;
    /** lvm.conf's filter (or devices file) lets LVM see the backing disk too. */
    backingVisible?: boolean;
    useDevicesFile?: boolean;
    vgs: Record<string, FakeVg>;
  };
  pacemaker: {
    attributes: Record<string, string>;
    constraints: string[];
    resources: string;
    status: string;
    cibDown?: boolean;
    attrdDown?: boolean;
    /** The next N crm_attribute updates or deletes fail as an attrd IPC timeout would (unrecorded). */
    attrdTimeouts?: number;
    /** What crm_attribute --version reports; 2.1.5 (the recorded host) when unset. */
    version?: string;
  };
}
/** The fakes' state file, for tests that know the fixture world (r0 on vg1 with lv0 and lv1). */
export interface World1State extends FakeState {
  drbd: FakeState['drbd'] & { resources: { r0: FakeResource } };
  lvm: FakeState['lvm'] & {
    vgs: { vg1: FakeVg & { lvs: { lv0: { active: boolean }; lv1: { active: boolean } } } };
  };
}

export interface AgentRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The exit reason line, without its prefix. */
  readonly reason: string | undefined;
}

export class World {
  readonly dir: string;
  readonly statePath: string;
  readonly logPath: string;
  readonly devRoot: string;
  private holders: ChildProcess[] = [];

  constructor(options: WorldOptions = {}) {
    this.dir = mkdtempSync(path.join(tmpdir(), 'lxcha-drbd-lvm-'));
    this.statePath = path.join(this.dir, 'state.json');
    this.logPath = path.join(this.dir, 'calls.log');
    this.devRoot = path.join(this.dir, 'dev');
    const state = {
      node: 'node1',
      drbd: {
        module: options.module ?? '8.4',
        loaded: options.loaded ?? true,
        resources: {
          r0: {
            configured: true,
            device: '/dev/drbd0',
            minor: 0,
            backingDevice: '/dev/vdb',
            up: false,
            role: 'Secondary',
            disk: 'Diskless',
            storedDisk: options.disk ?? 'UpToDate',
            peerName: 'node2',
            peer: {
              reachable: options.peerReachable ?? true,
              role: options.peerRole ?? 'Secondary',
              disk: options.peerDisk ?? 'UpToDate',
            },
          },
        },
      },
      lvm: {
        devRoot: this.devRoot,
        systemIdSource: 'lvmlocal',
        systemId: options.localSystemId ?? 'node1',
        volumeList: options.volumeList === undefined ? null : options.volumeList,
        vgs: {
          vg1: {
            drbd: 'r0',
            systemId: options.vgSystemId ?? 'node2',
            tags: [...(options.vgTags ?? [])],
            lvs: { lv0: { active: false, minor: 3 }, lv1: { active: false, minor: 4 } },
          },
        },
      },
      pacemaker: {
        attributes: {} as Record<string, string>,
        constraints: [] as string[],
        resources: '',
        status: '',
      },
    };
    writeFileSync(this.statePath, `${JSON.stringify(state, null, 2)}\n`);
  }

  state(): World1State {
    return JSON.parse(readFileSync(this.statePath, 'utf8')) as World1State;
  }

  /** Changes the state behind the agent's back (a crash, an admin, the peer). */
  edit(change: (state: World1State) => void): void {
    const s = this.state();
    change(s);
    writeFileSync(this.statePath, `${JSON.stringify(s, null, 2)}\n`);
  }

  /**
   * Moves the instance's record of its last written score (/run/lxcha/scores/) `ms` into the past, as if
   * that much time had gone by since the write. Answers the records it moved.
   */
  ageScoreRecord(ms: number): string[] {
    const dir = path.join(this.dir, 'run', 'scores');
    const files = existsSync(dir) ? readdirSync(dir) : [];
    for (const f of files) {
      const file = path.join(dir, f);
      const [score, at] = readFileSync(file, 'utf8').trim().split(' ');
      writeFileSync(file, `${score} ${Number(at) - ms}\n`);
    }
    return files;
  }

  rawState(): string {
    return readFileSync(this.statePath, 'utf8');
  }

  calls(): string[][] {
    return existsSync(this.logPath)
      ? readFileSync(this.logPath, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as string[])
      : [];
  }

  env(params: Record<string, string>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      PATH: `${fakesDir}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
      LXCHA_FAKE_STATE: this.statePath,
      LXCHA_FAKE_LOG: this.logPath,
      OCF_ROOT: '/usr/lib/ocf',
      OCF_RESOURCE_INSTANCE: 'drbdlvm:0',
      OCF_RESOURCE_TYPE: 'drbd-lvm',
      OCF_RESOURCE_PROVIDER: 'lxcha',
      OCF_RA_VERSION_MAJOR: '1',
      OCF_RA_VERSION_MINOR: '1',
      // The agent's state under /run (lib/system/state-file.ts), private to this world.
      LXCHA_STATE_DIR: path.join(this.dir, 'run'),
      ...extra,
    };
    for (const [k, v] of Object.entries(params)) env[`OCF_RESKEY_${k}`] = v;
    return env;
  }

  /** Runs the built agent like pacemaker-execd: `agent ACTION`, parameters in the environment. */
  run(
    action: string,
    params: Record<string, string> = defaultParams,
    extra: Record<string, string> = {},
  ): Promise<AgentRun> {
    return new Promise((resolve) => {
      execFile(
        agentPath,
        [action],
        { env: this.env(params, extra), encoding: 'utf8', timeout: 60_000 },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
          const reasonLine = stderr.split('\n').find((l) => l.startsWith('ocf-exit-reason:'));
          resolve({ code, stdout, stderr, reason: reasonLine?.slice('ocf-exit-reason:'.length) });
        },
      );
    });
  }

  /** A process that holds an LV's device node open, as a shell or a mount would. */
  holdOpen(vg: string, lv: string): number {
    const child = spawn('sh', ['-c', `exec 3<"$0"; exec sleep 600`, path.join(this.devRoot, vg, lv)], {
      stdio: 'ignore',
    });
    this.holders.push(child);
    return child.pid ?? -1;
  }

  async waitHeld(vg: string, lv: string): Promise<void> {
    const target = path.join(this.devRoot, vg, lv);
    for (let i = 0; i < 100; i++) {
      for (const child of this.holders) {
        const link = spawnSync('readlink', [`/proc/${child.pid}/fd/3`], { encoding: 'utf8' }).stdout.trim();
        if (link === target) return;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no holder of ${target}`);
  }

  releaseHolders(): void {
    for (const child of this.holders) child.kill('SIGKILL');
    this.holders = [];
  }

  dispose(): void {
    this.releaseHolders();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const defaultParams: Record<string, string> = {
  drbd_resource: 'r0',
  vgname: 'vg1',
  connect_timeout: '2',
};

/** A recurring monitor's meta attribute (without it a monitor is a probe). */
export const recurring = { OCF_RESKEY_CRM_meta_interval: '29000' };

/**
 * The hooks of a test file that drives the built agent: the agent copy made once, a fresh World per test
 * disposed after it. Returns the function that makes a test's World.
 */
export function worldPerTest(): (options?: WorldOptions) => World {
  let world: World | undefined;
  beforeAll(ensureBuilt);
  afterAll(removeAgentCopy);
  afterEach(() => {
    world?.dispose();
    world = undefined;
  });
  return (options = {}) => (world = new World(options));
}
