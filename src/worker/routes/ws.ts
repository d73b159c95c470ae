// GET /api/ws: the signed-in user's live events, served by their UserHub with the Hibernation API.
// Mounted before any middleware that touches response headers: a 101 has immutable headers.
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { AppError } from "../../domain/errors";
import { currentUser, requireUser } from "../middleware/auth";
import { userHub } from "../../domain/hub";
import { isOwnOrigin } from "../origin";

export const wsRoutes = new Hono<AppEnv>().get("/", requireUser, async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket")
    throw new AppError("bad_request", "Expected a WebSocket upgrade (Upgrade: websocket)");
  // Cross-site WebSocket hijacking: a cookie-authenticated socket must come from our own pages.
  if (c.get("authMethod") === "cookie" && !isOwnOrigin(c, c.req.header("origin")))
    throw new AppError("bad_origin", "WebSocket connections must come from this site");
  const user = currentUser(c);
  // The hub is chosen by the verified user id; the id it records comes from us, not the client.
  const url = new URL(c.req.url);
  url.search = `?userId=${user.id}`;
  return userHub(c.env, user.id).fetch(new Request(url, c.req.raw));
});
