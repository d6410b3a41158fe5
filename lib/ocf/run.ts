// The agent's process boundary: picks the action, prepares its context, runs it, and owns the exit code.
import { defaultTimeout, type AgentDefinition, type ParameterSet, type Parameters } from './agent.js';
import { Deadline } from './deadline.js';
import { readEnvironment, speaksOcf11, type Env, type OcfEnvironment } from './environment.js';
import { OcfError, OcfExit, type OcfExitCode } from './exit-codes.js';
import { formatExitReason } from './exit-reason.js';
import { writeSync } from 'node:fs';
import type { Logger } from './log.js';
import { lazyLogger, type LazyLogger } from './lazy-logger.js';
import { parseParameters } from './parameters.js';

export interface ActionContext<P extends ParameterSet> {
  readonly definition: AgentDefinition<P>;
  readonly params: Parameters<P>;
  readonly ocf: OcfEnvironment;
  readonly log: Logger;
  /** The operation's budget: CRM_meta_timeout, or the action's declared default timeout. */
  readonly deadline: Deadline;
}

export type ActionHandler<P extends ParameterSet> = (context: ActionContext<P>) => Promise<OcfExitCode>;
/** Action name → lazy loader, so a run loads only the module of the action it runs. */
export type ActionTable<P extends ParameterSet> = Readonly<
  Record<string, () => Promise<{ readonly default: ActionHandler<P> }>>
>;

export interface RunOptions {
  readonly env?: Env;
  readonly write?: (text: string) => void;
  /** Where exit reasons and log lines go; fd 2 by default. */
  readonly writeErr?: (text: string) => void;
}

/** Runs one action and returns its OCF exit code; every failure leaves one exit reason on stderr. */
export async function runAction<P extends ParameterSet>(
  definition: AgentDefinition<P>,
  actions: ActionTable<P>,
  action: string,
  options: RunOptions = {},
): Promise<OcfExitCode> {
  const env = options.env ?? process.env;
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const ocf = readEnvironment(action, definition.name, env);
  const writeErr = options.writeErr ?? ((text: string) => void writeSync(2, text));
  let log: LazyLogger | undefined;
  try {
    switch (action) {
      case 'meta-data': {
        const { buildMetadata } = await import('./metadata.js');
        write(buildMetadata(definition, speaksOcf11(ocf.managerVersion) ? '1.1' : '1.0'));
        return OcfExit.SUCCESS;
      }
      case 'usage':
      case 'help': {
        const { usageText } = await import('./usage.js');
        write(usageText(definition));
        return OcfExit.SUCCESS;
      }
    }
    const load = Object.hasOwn(actions, action) ? actions[action] : undefined;
    if (load === undefined)
      throw new OcfError(
        OcfExit.ERR_UNIMPLEMENTED,
        `action '${action}' is not implemented by ${definition.name}`,
      );
    const actionLog = lazyLogger({
      agent: definition.name,
      instance: ocf.instance,
      env,
      write: writeErr,
      ...(action === 'validate-all' ? { stderrLevel: 'warn' as const } : {}),
    });
    log = actionLog;
    // stop and probes depend only on what identifies the resource: other parameter errors are warnings.
    const lenient = action === 'stop' || ocf.isProbe;
    const params = parseParameters(
      definition,
      env,
      lenient ? { lenient: (problem) => actionLog.warn(`ignored for ${action}: ${problem}`) } : {},
    );
    const deadline = Deadline.start(ocf.timeoutMs ?? defaultTimeout(definition, action) * 1000);
    const handler = (await load()).default;
    const code = await handler({ definition, params, ocf, log: actionLog, deadline });
    await actionLog.flush();
    return code;
  } catch (error) {
    // Log lines first, then the exit reason: the reason is the last word.
    await log?.flush();
    if (error instanceof OcfError) {
      writeErr(formatExitReason(ocf.exitReasonPrefix, error.reason));
      return error.code;
    }
    writeErr(
      formatExitReason(
        ocf.exitReasonPrefix,
        `internal error in ${action}: ${(error as Error).message ?? String(error)}`,
      ),
    );
    return OcfExit.ERR_GENERIC;
  }
}

/**
 * The executable's entry: `agent ACTION` with parameters in the environment, as Pacemaker runs it;
 * anything else (flags, --help, no action) is an administrator at a shell, served by the yargs CLI.
 */
export async function runAgent<P extends ParameterSet>(
  definition: AgentDefinition<P>,
  actions: ActionTable<P>,
): Promise<void> {
  const args = process.argv.slice(2);
  const [action] = args;
  if (args.length === 1 && action !== undefined && !action.startsWith('-')) {
    process.exitCode = await runAction(definition, actions, action);
    return;
  }
  const { runCli } = await import('./cli.js');
  process.exitCode = await runCli(definition, actions, args);
}
