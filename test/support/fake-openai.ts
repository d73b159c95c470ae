// Control of the fake OpenAI server (test/fakes/openai-server.mjs) from inside workerd tests.
import { inject } from "vitest";

const base = () => inject("fakeOpenAiUrl");
const post = (path: string, body: unknown = {}) =>
  fetch(`${base()}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

export const fakeOpenAi = {
  reset: () => post("/__control/reset"),
  config: (c: { latencyMs?: number; chunkDelayMs?: number; reasoningTokens?: number; ignoreOutputCaps?: boolean; knowsOnlyMaxTokens?: boolean }) =>
    post("/__control/config", c),
  fault: (f: {
    kind: "status" | "timeout" | "truncate" | "invalid_json" | "length" | "short" | "elsewhere" | "invented";
    match?: string;
    status?: number;
    times?: number;
  }) =>
    post("/__control/faults", f),
  async requests(): Promise<{ path: string; body: any }[]> {
    return ((await (await fetch(`${base()}/__control/requests`)).json()) as { requests: any[] }).requests;
  },
};
