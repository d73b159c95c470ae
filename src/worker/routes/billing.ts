// Billing for signed-in users: what is for sale, Stripe Checkout, the billing portal.
import { Hono } from "hono";
import { CheckoutBody } from "../../shared/schemas";
import type { AppEnv } from "../env";
import { currentUser, requireUser, resolveUser } from "../middleware/auth";
import { limitByUser } from "../middleware/rate-limit";
import { billingFor } from "../../domain/billing/common";
import { getCatalog, openPortal, startCheckout } from "../../domain/billing/catalog";
import { validate } from "../validate";
import { appOrigin } from "../origin";

const MINUTE = 60_000;

export const billingRoutes = new Hono<AppEnv>()
  // Public, so a pricing page can show it; signed-in callers also see their own plan.
  .get("/catalog", async (c) =>
    c.json(await getCatalog({ db: c.var.db, config: c.var.config.stripe }, await resolveUser(c))),
  )
  .post("/checkout", requireUser, validate("json", CheckoutBody), async (c) => {
    const user = currentUser(c);
    await limitByUser(c, user.id, "checkout", 20, 10 * MINUTE);
    return c.json(await startCheckout(billingFor(c.var.deps), user, c.req.valid("json"), appOrigin(c)));
  })
  .post("/portal", requireUser, async (c) => c.json(await openPortal(billingFor(c.var.deps), currentUser(c), appOrigin(c))));
