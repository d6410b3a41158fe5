// ocf:lxcha:lxc — the declaration from which metadata, parsing, usage, docs and dispatch are generated.
import { defineAgent, defineParameters, type Parsed } from '../../lib/ocf/agent.js';
import { containerNameProblem } from '../../lib/lxc/names.js';
import { absolutePathProblem } from '../../lib/system/paths.js';
import { cpusetProblem, parseSize } from '../../lib/lxc/cgroup.js';
import { splitWords } from '../../lib/system/words.js';

export const DEFAULT_LXCPATH = '/var/lib/lxc';
const MIN_MEMORY = 4 * 1024 * 1024;

/** health_command as written (for messages) and as the words lxc-attach runs. */
export interface CommandLine {
  readonly text: string;
  readonly words: readonly string[];
}

export const lxcParameters = defineParameters({
  container: {
    type: 'string',
    required: true,
    unique: true,
    identity: true,
    shortdesc: 'Container name',
    longdesc: 'The unique name of the container, as given to lxc-start -n.',
    check: containerNameProblem,
  },
  config: {
    type: 'string',
    shortdesc: 'Path to the container configuration file',
    longdesc:
      'Absolute path to the container configuration file, for example on a replicated configuration filesystem ' +
      '(/lxc1/ct0/config). Default: <lxcpath>/<container>/config. The agent reads it and never edits it.',
    check: absolutePathProblem,
  },
  lxcpath: {
    type: 'string',
    default: DEFAULT_LXCPATH,
    identity: true,
    shortdesc: 'LXC path (lxc-start -P)',
    longdesc:
      'The LXC path under which the container runs (-P of the lxc-* tools). Start, stop and monitor all use it.',
    check: absolutePathProblem,
  },
  log: {
    type: 'string',
    shortdesc: 'lxc-start log file',
    longdesc:
      "Absolute path of lxc-start's log file (-o). Default, as ocf:heartbeat:lxc: " +
      '$HA_RSCTMP/<resource instance>.log, HA_RSCTMP being /run/resource-agents.',
    check: absolutePathProblem,
  },
  console_log: {
    type: 'string',
    shortdesc: 'Container console log file',
    longdesc:
      "Absolute path of a file receiving the container's console output (lxc-start -L, like lxc.console.logfile). " +
      'Attach to the console with lxc-console -n <container> -P <lxcpath>.',
    check: absolutePathProblem,
  },
  use_screen: {
    type: 'boolean',
    default: false,
    shortdesc: 'Run lxc-start in screen (ignored)',
    longdesc: 'Accepted for compatibility with ocf:heartbeat:lxc and ignored.',
    deprecated: {
      replacedWith: 'console_log',
      desc: 'lxc-start daemonizes since LXC 1.1, so screen no longer captures the console; use console_log and lxc-console.',
    },
  },
  memory_limit: {
    type: 'string',
    reloadable: true,
    shortdesc: 'Memory limit (K, M, G suffixes)',
    longdesc:
      'Memory limit of the container, a number of bytes with an optional K, M or G suffix (512M). Applied at start ' +
      '(memory.limit_in_bytes on cgroup v1, memory.max on v2) and changed live by reload-agent. Unset: the ' +
      "container config's own lxc.cgroup.memory.limit_in_bytes or lxc.cgroup2.memory.max, else no limit.",
    parse: (v) => {
      const bytes = parseSize(v);
      if (bytes === undefined) return { problem: 'not a size (a number with an optional K, M or G suffix)' };
      return bytes < MIN_MEMORY ? { problem: 'must be at least 4M' } : { value: bytes };
    },
  },
  cpu_weight: {
    type: 'integer',
    min: 1,
    max: 10000,
    reloadable: true,
    shortdesc: 'CPU weight (1-10000, default 100)',
    longdesc:
      'Relative CPU weight of the container (cgroup v2 cpu.weight, 100 is the default); on cgroup v1 it becomes ' +
      "cpu.shares (weight × 1024 / 100). Changed live by reload-agent. Unset: the container config's own " +
      'lxc.cgroup.cpu.shares or lxc.cgroup2.cpu.weight, else the default.',
  },
  cpuset: {
    type: 'string',
    reloadable: true,
    shortdesc: 'CPUs the container may use (e.g. 0-1,3)',
    longdesc:
      'CPU list for cpuset.cpus. Every CPU must be online on the node. Changed live by reload-agent. Unset: the ' +
      "container config's own lxc.cgroup(2).cpuset.cpus, else every online CPU.",
    check: cpusetProblem,
  },
  halt_timeout: {
    type: 'seconds',
    min: 1,
    shortdesc: 'Time for an orderly shutdown',
    longdesc:
      "How long stop waits for the container's init to shut down after its halt signal (lxc.signal.halt, SIGPWR " +
      'by default) before killing it. Default: the stop timeout less a safety margin.',
  },
  health_command: {
    type: 'string',
    shortdesc: 'Health check run inside the container (monitor depth 20)',
    longdesc:
      'A command run inside the container with lxc-attach by the monitor at depth 20; non-zero exit means failed. ' +
      "Words are split like a shell would, but no shell runs: write sh -c '...' to use one.",
    parse: (v): Parsed<CommandLine> => {
      const split = splitWords(v);
      if ('error' in split) return { problem: split.error };
      return split.words.length === 0 ? { problem: 'is empty' } : { value: { text: v, words: split.words } };
    },
  },
});
export type LxcParameters = typeof lxcParameters;

// Each action's module loads only when that action runs.
const monitor = () => import('./monitor.js');

export const lxcAgent = defineAgent({
  name: 'lxc',
  version: '0.1.0',
  shortdesc: 'Manages an LXC container',
  longdesc:
    'Starts, stops and monitors one LXC container for Pacemaker. A drop-in replacement for ocf:heartbeat:lxc ' +
    '(same parameters and meaning) that stops containers in order with their own halt signal, succeeds on stop ' +
    'when the configuration is not mounted on this node, thaws frozen containers before stopping them, applies ' +
    'cgroup resource limits on cgroup v1 and v2 and changes them live with reload-agent, and checks the container ' +
    'from inside at monitor depths 10 and 20.',
  parameters: lxcParameters,
  actions: [
    { name: 'start', timeout: 60, run: () => import('./start.js') },
    { name: 'stop', timeout: 60, run: () => import('./stop.js') },
    { name: 'monitor', timeout: 20, interval: 30, depth: 0, run: monitor },
    { name: 'monitor', timeout: 30, interval: 60, depth: 10, run: monitor },
    { name: 'monitor', timeout: 60, interval: 120, depth: 20, run: monitor },
    { name: 'validate-all', timeout: 20, run: () => import('./validate.js') },
    { name: 'reload-agent', timeout: 20, run: () => import('./reload.js') },
    { name: 'meta-data', timeout: 5 },
    { name: 'usage', timeout: 5 },
  ],
  // OCF 1.0's name for monitor, answered as ocf:heartbeat:lxc does, not advertised.
  aliases: { status: 'monitor' },
});
