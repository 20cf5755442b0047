import { createExecutionContext, createMessageBatch, getQueueResult, type QueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { handleQueue, type PipelineHooks } from "../../../worker/ingest/consumer";
import type { IngestMessage } from "../../../worker/ingest/messages";

/**
 * TEST DOUBLE of the queue producer: records what the pipeline sends instead of delivering it,
 * so a test can hand each message to the real consumer itself, in order, and crash it on purpose.
 * The real queue is exercised end to end by helpers/ingest.ts.
 */
export class CapturingQueue {
  readonly sent: IngestMessage[] = [];
  async send(body: IngestMessage): Promise<void> {
    this.sent.push(structuredClone(body));
  }
  async sendBatch(messages: Iterable<{ body: IngestMessage }>): Promise<void> {
    for (const { body } of messages) this.sent.push(structuredClone(body));
  }
  take(): IngestMessage[] {
    return this.sent.splice(0);
  }
}

export type SteppedEnv = Env & { INGEST_QUEUE: CapturingQueue };

/** The real bindings, with the queue producer captured and optional var overrides. */
export function steppedEnv(vars: Partial<Env> = {}): SteppedEnv {
  return { ...env, ...vars, INGEST_QUEUE: new CapturingQueue() } as unknown as SteppedEnv;
}

let nextId = 0;

/** Hands one message to the real consumer as the queue would, and reports its ack/retry. */
export async function deliver(
  testEnv: Env,
  body: unknown,
  options: { attempts?: number; queue?: string; hooks?: PipelineHooks } = {},
): Promise<QueueResult> {
  return deliverBatch(testEnv, [body], options);
}

/** Hands several messages to the real consumer as ONE batch (one invocation), as the queue would. */
export async function deliverBatch(
  testEnv: Env,
  bodies: unknown[],
  options: { attempts?: number; queue?: string; hooks?: PipelineHooks } = {},
): Promise<QueueResult> {
  const batch = createMessageBatch(
    options.queue ?? "egrid-ingest",
    bodies.map((body) => ({ id: `m${nextId++}`, timestamp: new Date(), attempts: options.attempts ?? 1, body })),
  );
  const ctx = createExecutionContext();
  await handleQueue(batch, testEnv, options.hooks);
  return getQueueResult(batch, ctx);
}

/** Delivers captured messages until the pipeline sends no more; returns how many were handled. */
export async function drain(testEnv: SteppedEnv, hooks?: PipelineHooks): Promise<number> {
  let handled = 0;
  for (let pending = testEnv.INGEST_QUEUE.take(); pending.length > 0; pending = testEnv.INGEST_QUEUE.take()) {
    for (const body of pending) {
      await deliver(testEnv, body, { hooks });
      handled++;
    }
  }
  return handled;
}
