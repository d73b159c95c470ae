export async function handleQueue(batch: MessageBatch<unknown>, _env: Env, _ctx: ExecutionContext) {
  batch.ackAll();
}
