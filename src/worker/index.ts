// Worker entry: HTTP (Hono), the generation queue consumer, the hourly upkeep, and the UserHub Durable Object.
import { createApp } from "./app";
import { handleQueue } from "../queues";
import { getDb } from "../domain/db/client";
import { proseUpkeep } from "../domain/prose";

export { UserHub } from "../durable/user-hub";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueue,
  // Moves prose stored before R2 and sweeps unreferenced versions (docs/SCALE.md).
  scheduled: async (_controller, env, ctx) => {
    ctx.waitUntil(proseUpkeep(getDb(env), env.FILES).then((r) => console.log("prose upkeep", JSON.stringify(r))));
  },
} satisfies ExportedHandler<Env>;
