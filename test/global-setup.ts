// Runs in Node before the workerd tests: starts the fake paid-API servers they talk to.
import type { TestProject } from "vitest/node";
import { startFakeOpenAi } from "./fakes/openai-server.mjs";

export default async function setup(project: TestProject) {
  const openai = await startFakeOpenAi();
  project.provide("fakeOpenAiUrl", openai.url);
  return async () => {
    await openai.close();
  };
}
