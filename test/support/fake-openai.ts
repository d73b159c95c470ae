// Control of the fake OpenAI server (test/fakes/openai-server.mjs) from inside workerd tests.
import { inject } from "vitest";

const base = () => inject("fakeOpenAiUrl");
const post = (path: string, body: unknown = {}) =>
  fetch(`${base()}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** Matches the prose prompt of chapter `n`, not its beats prompt: the unescaped tag is only found in the decoded user message. */
export const proseOf = (n: number) => ["Write the chapter below in full", `<chapter number="${n}"`];

export const fakeOpenAi = {
  reset: () => post("/__control/reset"),
  config: (c: { latencyMs?: number; chunkDelayMs?: number; reasoningTokens?: number; ignoreOutputCaps?: boolean; knowsOnlyMaxTokens?: boolean }) =>
    post("/__control/config", c),
  fault: (f: {
    kind: "status" | "timeout" | "truncate" | "invalid_json" | "length" | "short" | "elsewhere" | "invented";
    /** A substring of the request, or several that must all be in it. */
    match?: string | string[];
    status?: number;
    times?: number;
  }) =>
    post("/__control/faults", f),
  async requests(): Promise<{ path: string; body: any }[]> {
    return ((await (await fetch(`${base()}/__control/requests`)).json()) as { requests: any[] }).requests;
  },
};
