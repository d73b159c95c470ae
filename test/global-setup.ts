// Runs in Node before the workerd tests: starts the fake paid-API servers they talk to.
import type { TestProject } from "vitest/node";
import { startFakeMailgun } from "./fakes/mailgun-server.mjs";
import { startFakeOpenAi } from "./fakes/openai-server.mjs";
import { startFakeStripe } from "./fakes/stripe-server.mjs";

export default async function setup(project: TestProject) {
  const openai = await startFakeOpenAi();
  project.provide("fakeOpenAiUrl", openai.url);
  const mailgun = await startFakeMailgun();
  project.provide("fakeMailgunUrl", mailgun.url);
  const stripe = await startFakeStripe();
  project.provide("fakeStripeUrl", stripe.url);
  return async () => {
    await openai.close();
    await mailgun.close();
    await stripe.close();
  };
}
