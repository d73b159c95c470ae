export type FakeOpenAi = {
  url: string;
  state: { latencyMs: number; chunkDelayMs: number; faults: unknown[]; requests: { path: string; body: any; at: number }[] };
  close(): Promise<void>;
};
export function startFakeOpenAi(opts?: { port?: number; host?: string }): Promise<FakeOpenAi>;
