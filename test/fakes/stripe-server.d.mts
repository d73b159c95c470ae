export type FakeStripe = {
  url: string;
  state: { objects: Map<string, any>; requests: { method: string; path: string; body: any; at: number }[]; faults: unknown[] };
  close(): Promise<void>;
};
export function startFakeStripe(opts?: { port?: number; host?: string }): Promise<FakeStripe>;
export function parseForm(raw: string): Record<string, any>;
