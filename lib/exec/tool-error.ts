// A system tool answered with a failure the client cannot turn into a state: carries the whole result,
// so the agent's boundary can choose the OCF code (lib/ocf/tool-failure.ts) and quote the tool.
import { describeFailure, type CommandResult } from './command.js';

export class ToolError extends Error {
  constructor(
    readonly result: CommandResult,
    readonly what: string,
    /** The client's own reading of the failure, when it says more than the tool's last line. */
    message: string = `${what}: ${describeFailure(result)}`,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}
