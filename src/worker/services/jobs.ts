import type { ServerEvent } from "../../shared/events";

export async function expireJob(_env: Env, _jobId: number): Promise<ServerEvent[]> {
  return [];
}
