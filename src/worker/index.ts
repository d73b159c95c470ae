// Worker entry: HTTP (Hono), the generation queue consumer, and the UserHub Durable Object.
import { createApp } from "./app";
import { handleQueue } from "../queues";

export { UserHub } from "../durable/user-hub";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueue,
} satisfies ExportedHandler<Env>;
