export type FakeMailgun = { url: string; messages: Record<string, string>[]; close(): Promise<void> };
export function startFakeMailgun(opts?: { port?: number; host?: string }): Promise<FakeMailgun>;
