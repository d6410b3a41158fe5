// The administrator's command line: `agent ACTION --param value …` mapped onto OCF_RESKEY_*, with --help.
import yargs from 'yargs';
import type { AgentDefinition, ParameterSet } from './agent.js';
import { OcfExit, type OcfExitCode } from './exit-codes.js';
import { parseDuration } from './parameters.js';
import { runAction, type ActionTable, type ErrorMapper } from './action.js';

export async function runCli<P extends ParameterSet>(
  definition: AgentDefinition<P>,
  actions: ActionTable<P>,
  args: readonly string[],
  hooks: { readonly mapError?: ErrorMapper } = {},
): Promise<OcfExitCode> {
  const names = [...new Set(['meta-data', 'usage', ...Object.keys(actions)])];
  let chosen: { action: string; env: Record<string, string> } | undefined;
  const problems: string[] = [];
  let parser = yargs([...args])
    .scriptName(definition.name)
    .usage(`$0 <action> [--parameter value …]\n\n${definition.shortdesc}`)
    .parserConfiguration({ 'camel-case-expansion': false })
    .strict()
    .option('timeout', {
      type: 'string',
      describe: 'operation timeout (CRM_meta_timeout), e.g. 60s',
      group: 'Operation:',
    })
    .option('interval', {
      type: 'string',
      describe: 'monitor interval (CRM_meta_interval); 0 is a probe',
      group: 'Operation:',
    })
    .option('depth', {
      type: 'number',
      describe: 'monitor depth (OCF_CHECK_LEVEL): 0, 10 or 20',
      group: 'Operation:',
    })
    .option('instance', {
      type: 'string',
      describe: 'resource name for logs (OCF_RESOURCE_INSTANCE)',
      group: 'Operation:',
    });
  for (const [name, spec] of Object.entries(definition.parameters)) {
    parser = parser.option(name, {
      type: 'string',
      describe: `${spec.shortdesc}${spec.required === true ? ' (required)' : ''}${spec.default === undefined ? '' : ` [default: ${String(spec.default)}]`}`,
      group: 'Parameters:',
    });
  }
  for (const action of names) {
    parser = parser.command(action, `run ${action}`, {}, (argv) => {
      const env: Record<string, string> = {};
      for (const name of Object.keys(definition.parameters)) {
        const value = argv[name];
        if (typeof value === 'string') env[`OCF_RESKEY_${name}`] = value;
      }
      // Pacemaker's notation, as in the parameters: 60, 60s, 2min, 500ms; CRM_meta_* take milliseconds.
      const toMs = (option: string, v: unknown): string | undefined => {
        if (typeof v !== 'string') return undefined;
        const seconds = parseDuration(v);
        if (seconds === undefined) {
          problems.push(`--${option} ${JSON.stringify(v)} is not a duration (60, 60s, 2min, 500ms)`);
          return undefined;
        }
        return String(Math.round(seconds * 1000));
      };
      const timeout = toMs('timeout', argv.timeout);
      const interval = toMs('interval', argv.interval);
      if (timeout !== undefined) env.OCF_RESKEY_CRM_meta_timeout = timeout;
      if (interval !== undefined) env.OCF_RESKEY_CRM_meta_interval = interval;
      if (typeof argv.depth === 'number') env.OCF_CHECK_LEVEL = String(argv.depth);
      if (typeof argv.instance === 'string') env.OCF_RESOURCE_INSTANCE = argv.instance;
      chosen = { action, env };
    });
  }
  parser = parser.demandCommand(1, 'name an action').help().version(definition.version).exitProcess(false);
  let failed = false;
  parser = parser.fail((message) => {
    failed = true;
    process.stderr.write(`${message}\n`);
  });
  await parser.parseAsync();
  for (const problem of problems) process.stderr.write(`${problem}\n`);
  if (failed || problems.length > 0) return OcfExit.ERR_ARGS;
  if (chosen === undefined) return OcfExit.SUCCESS; // --help or --version
  return runAction(definition, actions, chosen.action, { ...hooks, env: { ...process.env, ...chosen.env } });
}
