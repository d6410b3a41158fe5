// A system tool answered with a failure the client cannot turn into a state: carries the whole result,
// so the agent can choose the OCF code (missing tool → 5, anything else → 1) and quote the tool.
import { describeFailure, type CommandResult } from './command.js';

export class ToolError extends Error {
  constructor(
    readonly result: CommandResult,
    readonly what: string,
  ) {
    super(`${what}: ${describeFailure(result)}`);
    this.name = 'ToolError';
  }
}
