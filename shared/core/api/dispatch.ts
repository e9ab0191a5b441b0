import { AppError } from './errors.js';
import { calls, events, type CallInput, type CallName, type CallOutput, type EventName, type EventPayload, type Handlers } from './contract.js';
import { fail, ok, type Result } from './result.js';
import { describeZodError, parseCallInput } from './validate.js';

/** How a transport dispatches. */
export interface DispatchOptions {
  /**
   * Also check what the handler returned against the call's output schema; a mismatch becomes an
   * INTERNAL error naming the call and the field. On in tests (DRIFTLINE_CHECK_OUTPUTS=1), so every
   * call any test makes proves its answer matches the contract the studio was typed against.
   */
  checkOutput?: boolean;
}

/** Validates a handler's answer against the call's output schema, or throws INTERNAL naming the field. */
export function checkCallOutput<K extends CallName>(name: K, value: unknown): CallOutput<K> {
  const parsed = calls[name].output.safeParse(value);
  if (!parsed.success) throw new AppError('INTERNAL', `${name}: the answer does not match the contract (${describeZodError(parsed.error)})`);
  return value as CallOutput<K>;
}

/** Validates an event's payload against its schema, or throws INTERNAL naming the field. */
export function checkEventPayload<K extends EventName>(event: K, payload: unknown): EventPayload<K> {
  const parsed = events[event].safeParse(payload);
  if (!parsed.success) throw new AppError('INTERNAL', `event ${event}: the payload does not match the contract (${describeZodError(parsed.error)})`);
  return payload as EventPayload<K>;
}

/**
 * THE dispatch of a contract call, used by every transport (Electron IPC, `driftline serve`) and by
 * the CLI: parse the input with the call's schema (unknown calls and bad fields are INVALID_INPUT
 * naming the field), run the handler, optionally check the output, and return errors as values.
 */
export async function dispatchCall(handlers: Handlers, name: string, input: unknown, options: DispatchOptions = {}): Promise<Result<unknown>> {
  try {
    const call = parseCallInput<CallName>(name, input);
    const handler = handlers[call.name] as (parsed: unknown) => unknown;
    const value = await handler(call.input);
    return ok(options.checkOutput ? checkCallOutput(call.name, value) : value);
  } catch (err) {
    return fail(err);
  }
}

/** {@link dispatchCall} for a caller that knows the call at compile time: typed input and output, errors thrown. */
export async function invokeCall<K extends CallName>(handlers: Handlers, name: K, input: CallInput<K>, options: DispatchOptions = {}): Promise<CallOutput<K>> {
  const result = await dispatchCall(handlers, name, input, options);
  if (!result.ok) throw new AppError(result.error.code, result.error.message);
  return result.value as CallOutput<K>;
}
