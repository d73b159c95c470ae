import { Hono } from "hono";
import type { AppEnv } from "../env";
import { docsPage, openApiDocument } from "../openapi";

export const docs = new Hono<AppEnv>()
  .get("/openapi.json", (c) => c.json(openApiDocument()))
  .get("/docs", (c) => {
    c.header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    return c.html(docsPage());
  });
