#!/usr/bin/env node
// Stops `npm test`, `npm run demo` and `npm run test:fresh` at once, with one sentence, on a machine where
// they cannot run: not Linux, not Debian or derived (no dpkg and apt-get), not root, or a node before 18.20.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MIN_NODE = [18, 20];

/** Whether `name` is an executable file in one of PATH's folders. */
function onPath(name, env) {
  for (const dir of (env.PATH ?? '').split(':')) {
    if (dir === '') continue;
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/** The one sentence saying why `command` cannot run here, or undefined when it can. */
export function setupProblem(
  command,
  {
    env = process.env,
    uid = process.getuid?.(),
    platform = process.platform,
    nodeVersion = process.versions.node,
  } = {},
) {
  const [major = 0, minor = 0] = nodeVersion.split('.').map(Number);
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1]))
    return `${command} needs nodejs ${MIN_NODE.join('.')} or newer; this is node ${nodeVersion}.`;
  const missing = ['dpkg', 'apt-get'].filter((tool) => !onPath(tool, env));
  if (platform !== 'linux' || missing.length > 0)
    return `${command} needs Debian 12 or newer (or a derivative) with dpkg and apt-get, to install the Debian packages it uses${platform === 'linux' ? `; ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not on PATH` : `; this is ${platform}`}.`;
  if (uid !== 0)
    return `${command} needs root: it installs Debian packages and runs LXC containers and a Pacemaker cluster (run it as root, for example with sudo).`;
  return undefined;
}

/** Exits the process with the sentence when `command` cannot run here. */
export function preflight(command) {
  const problem = setupProblem(command);
  if (problem === undefined) return;
  console.error(`lxcha: ${problem}`);
  process.exit(1);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  preflight(process.argv[2] ?? 'this command');
}
