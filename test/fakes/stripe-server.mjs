// A fake Stripe API for tests and local runs. It speaks the real wire protocol for what
// NovelApp calls, so the real `stripe` SDK is exercised end to end: form-encoded request bodies in
// bracket notation, Bearer secret keys, JSON objects with `object` fields, and errors as
// {error: {type, message, code?, param?}} with Stripe's statuses.
//   POST /v1/customers                  create
//   POST /v1/prices, GET|POST /v1/prices/:id          create (product_data or product), read, update (active)
//   POST /v1/checkout/sessions, GET /v1/checkout/sessions/:id, GET /v1/checkout/sessions?customer=&status=
//   POST /v1/checkout/sessions/:id/expire
//   POST /v1/billing_portal/sessions
//   GET  /v1/subscriptions/:id, GET /v1/subscriptions?customer=&status=
// A POST repeated with the same Idempotency-Key answers what the first one did.
// What Stripe would do on its own side (the customer paying, renewals, plan changes in the portal,
// cancellations) is driven through a control API; each answers the objects a webhook would carry:
//   POST /__control/reset                              forget everything
//   GET  /__control/requests                           what was received: {method, path, body, idempotencyKey, stripeVersion}
//   POST /__control/faults {status, match?, times?}    answer the next matching API calls with an error
//   GET  /__control/objects/:id                        any stored object (price, customer, session, …)
//   POST /__control/checkout/:id/complete {paymentStatus?}  → {session, subscription?, invoice?}
//   POST /__control/subscriptions/:id/renew            → {invoice}
//   POST /__control/subscriptions/:id/price {price}    → {subscription} (a plan change)
//   POST /__control/subscriptions/:id/cancel           → {subscription} (status canceled)
//
// Run standalone: node test/fakes/stripe-server.mjs [port]
import http from "node:http";

/** Stripe's form encoding (`a[b][0][c]=v`) back into nested objects and arrays. */
export function parseForm(raw) {
  const root = {};
  for (const pair of raw.split("&")) {
    if (!pair) continue;
    const [k, v = ""] = pair.split("=");
    const key = decodeURIComponent(k.replace(/\+/g, " "));
    const value = decodeURIComponent(v.replace(/\+/g, " "));
    const path = key.split("[").map((p) => p.replace(/]$/, ""));
    let node = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = node[part] ??= {};
    });
  }
  const arrays = (node) => {
    if (!node || typeof node !== "object") return node;
    const keys = Object.keys(node);
    const out = keys.length && keys.every((k) => /^\d+$/.test(k)) ? keys.sort((a, b) => a - b).map((k) => node[k]) : node;
    for (const k of Object.keys(out)) out[k] = arrays(out[k]);
    return out;
  };
  return arrays(root);
}

class StripeFault extends Error {
  constructor(status, type, message, extra = {}) {
    super(message);
    Object.assign(this, { status, type, extra });
  }
}
const missing = (kind, id, param) =>
  new StripeFault(404, "invalid_request_error", `No such ${kind}: '${id}'`, { code: "resource_missing", param });
const invalid = (message, param) => new StripeFault(400, "invalid_request_error", message, { param });

export async function startFakeStripe({ port = 0, host = "127.0.0.1" } = {}) {
  const state = { objects: new Map(), requests: [], faults: [], idempotent: new Map(), seq: 0 };
  const newId = (prefix) => `${prefix}_fake${String(++state.seq).padStart(6, "0")}${Math.random().toString(36).slice(2, 8)}`;
  const now = () => Math.floor(Date.now() / 1000);
  const put = (obj) => (state.objects.set(obj.id, obj), obj);
  const get = (id, kind, param) => {
    const obj = state.objects.get(id);
    if (!obj || obj.object !== kind) throw missing(kind, id, param);
    return obj;
  };
  const list = (data, url) => ({ object: "list", data, has_more: false, url });

  function takeFault(method, path) {
    const i = state.faults.findIndex((f) => !f.match || `${method} ${path}`.includes(f.match));
    if (i < 0) return null;
    const f = state.faults[i];
    if (--f.times <= 0) state.faults.splice(i, 1);
    return f;
  }

  // ------------------------------------------------------------ API

  function createCustomer(body) {
    return put({
      id: newId("cus"),
      object: "customer",
      created: now(),
      email: body.email ?? null,
      name: body.name ?? null,
      metadata: body.metadata ?? {},
      livemode: false,
    });
  }

  function createPrice(body) {
    if (!body.currency) throw invalid("Missing required param: currency.", "currency");
    const amount = Number(body.unit_amount);
    if (body.unit_amount === undefined || !Number.isInteger(amount) || amount < 0)
      throw invalid("Invalid integer: unit_amount", "unit_amount");
    let product = body.product;
    if (!product) {
      if (!body.product_data?.name) throw invalid("Missing required param: product_data[name].", "product_data[name]");
      product = put({ id: newId("prod"), object: "product", name: body.product_data.name, active: true, created: now() }).id;
    }
    const interval = body.recurring?.interval;
    if (interval && !["day", "week", "month", "year"].includes(interval))
      throw invalid(`Invalid recurring[interval]: ${interval}`, "recurring[interval]");
    return put({
      id: newId("price"),
      object: "price",
      active: true,
      created: now(),
      currency: body.currency,
      unit_amount: amount,
      product,
      type: interval ? "recurring" : "one_time",
      recurring: interval ? { interval, interval_count: Number(body.recurring.interval_count ?? 1), usage_type: "licensed" } : null,
      metadata: body.metadata ?? {},
      livemode: false,
    });
  }

  function updatePrice(id, body) {
    const price = get(id, "price", "price");
    if (body.active !== undefined) price.active = body.active === "true";
    if (body.metadata) price.metadata = { ...price.metadata, ...body.metadata };
    return price;
  }

  function createCheckoutSession(body) {
    if (!["payment", "subscription", "setup"].includes(body.mode)) throw invalid("Invalid mode: must be one of payment, setup, or subscription", "mode");
    for (const url of ["success_url", "cancel_url"])
      if (body[url] && !/^https?:\/\//.test(body[url])) throw invalid(`Not a valid URL`, url);
    const items = body.line_items ?? [];
    if (!items.length) throw invalid("Missing required param: line_items.", "line_items");
    const prices = items.map((item, i) => {
      const price = get(item.price, "price", `line_items[${i}][price]`);
      if (!price.active) throw invalid(`The price specified is inactive. This field only accepts active prices.`, `line_items[${i}][price]`);
      if ((price.type === "recurring") !== (body.mode === "subscription"))
        throw invalid(
          body.mode === "subscription"
            ? "You must provide at least one recurring price in `subscription` mode when using prices."
            : "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
          `line_items[${i}][price]`,
        );
      return { price, quantity: Number(item.quantity ?? 1) };
    });
    if (body.customer) get(body.customer, "customer", "customer");
    const id = newId("cs_test");
    return put({
      id,
      object: "checkout.session",
      created: now(),
      mode: body.mode,
      status: "open",
      payment_status: "unpaid",
      url: `https://checkout.stripe.com/c/pay/${id}`,
      customer: body.customer ?? null,
      client_reference_id: body.client_reference_id ?? null,
      metadata: body.metadata ?? {},
      success_url: body.success_url ?? null,
      cancel_url: body.cancel_url ?? null,
      amount_total: prices.reduce((sum, l) => sum + l.price.unit_amount * l.quantity, 0),
      currency: prices[0].price.currency,
      subscription: null,
      invoice: null,
      livemode: false,
      // Not part of Stripe's object; kept so completion knows what was bought.
      _lines: prices.map((l) => ({ price: l.price.id, quantity: l.quantity })),
      _subscriptionMetadata: body.subscription_data?.metadata ?? {},
    });
  }

  function createPortalSession(body) {
    if (!body.customer) throw invalid("Missing required param: customer.", "customer");
    get(body.customer, "customer", "customer");
    const id = newId("bps");
    return put({
      id,
      object: "billing_portal.session",
      created: now(),
      customer: body.customer,
      return_url: body.return_url ?? null,
      url: `https://billing.stripe.com/p/session/${id}`,
      livemode: false,
    });
  }

  // ------------------------------------------------------------ what Stripe does on its own side

  function invoiceFor(sub, billingReason) {
    const price = sub.items.data[0].price;
    return put({
      id: newId("in"),
      object: "invoice",
      created: now(),
      customer: sub.customer,
      status: "paid",
      billing_reason: billingReason,
      currency: price.currency,
      amount_due: price.unit_amount,
      amount_paid: price.unit_amount,
      parent: {
        type: "subscription_details",
        quote_details: null,
        subscription_details: { subscription: sub.id, metadata: { ...sub.metadata } },
      },
      lines: list(
        [
          {
            id: newId("il"),
            object: "line_item",
            amount: price.unit_amount,
            currency: price.currency,
            quantity: 1,
            pricing: { type: "price_details", price_details: { price: price.id, product: price.product }, unit_amount_decimal: String(price.unit_amount) },
            parent: { type: "subscription_item_details", subscription_item_details: { subscription: sub.id, subscription_item: sub.items.data[0].id } },
          },
        ],
        "/v1/invoices/lines",
      ),
      livemode: false,
    });
  }

  /** A customer's objects of one kind, newest first, filtered like Stripe's list endpoints. */
  function listOf(kind, query, url, keep) {
    const rows = [...state.objects.values()].filter((o) => o.object === kind && (!query.customer || o.customer === query.customer) && keep(o));
    return list(rows.reverse().slice(0, Number(query.limit ?? 10)).map(publicView), url);
  }

  // Stripe lists subscriptions that are not canceled unless a status (or "all") is asked for.
  const listSubscriptions = (query) =>
    listOf("subscription", query, "/v1/subscriptions", (s) => (query.status === "all" ? true : query.status ? s.status === query.status : s.status !== "canceled"));

  const listCheckoutSessions = (query) => listOf("checkout.session", query, "/v1/checkout/sessions", (s) => !query.status || s.status === query.status);

  function expireCheckout(id) {
    const session = get(id, "checkout.session", "id");
    if (session.status !== "open") throw invalid(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`);
    Object.assign(session, { status: "expired", url: null });
    return publicView(session);
  }

  function completeCheckout(id, body) {
    const session = get(id, "checkout.session", "id");
    if (session.status !== "open") throw invalid(`This Checkout Session is ${session.status}: it can no longer be paid.`);
    session.status = "complete";
    session.payment_status = body.paymentStatus ?? "paid";
    if (session.mode !== "subscription") return { session: publicView(session) };
    const line = session._lines[0];
    const sub = put({
      id: newId("sub"),
      object: "subscription",
      created: now(),
      customer: session.customer,
      status: "active",
      cancel_at_period_end: false,
      metadata: { ...session._subscriptionMetadata },
      items: list(
        [{ id: newId("si"), object: "subscription_item", price: get(line.price, "price"), quantity: line.quantity }],
        "/v1/subscription_items",
      ),
      livemode: false,
    });
    const invoice = invoiceFor(sub, "subscription_create");
    session.subscription = sub.id;
    session.invoice = invoice.id;
    return { session: publicView(session), subscription: sub, invoice };
  }

  function changeSubscriptionPrice(id, body) {
    const sub = get(id, "subscription", "id");
    sub.items.data[0].price = get(body.price, "price", "price");
    return sub;
  }

  function cancelSubscription(id) {
    const sub = get(id, "subscription", "id");
    Object.assign(sub, { status: "canceled", canceled_at: now(), ended_at: now() });
    return sub;
  }

  const publicView = (obj) => Object.fromEntries(Object.entries(obj).filter(([k]) => !k.startsWith("_")));

  // ------------------------------------------------------------ HTTP

  const json = (res, status, body) => {
    res.writeHead(status, { "content-type": "application/json", "request-id": `req_${++state.seq}` });
    res.end(JSON.stringify(body));
  };

  function api(method, path, body) {
    let m;
    if (method === "POST" && path === "/v1/customers") return createCustomer(body);
    if (method === "POST" && path === "/v1/prices") return createPrice(body);
    if ((m = path.match(/^\/v1\/prices\/([^/]+)$/))) return method === "POST" ? updatePrice(m[1], body) : get(m[1], "price", "id");
    if (method === "POST" && path === "/v1/checkout/sessions") return publicView(createCheckoutSession(body));
    if (method === "GET" && (m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)$/))) return publicView(get(m[1], "checkout.session", "id"));
    if (method === "GET" && path === "/v1/checkout/sessions") return listCheckoutSessions(body);
    if (method === "POST" && (m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)\/expire$/))) return expireCheckout(m[1]);
    if (method === "GET" && path === "/v1/subscriptions") return listSubscriptions(body);
    if (method === "POST" && path === "/v1/billing_portal/sessions") return createPortalSession(body);
    if (method === "GET" && (m = path.match(/^\/v1\/subscriptions\/([^/]+)$/))) return get(m[1], "subscription", "id");
    throw new StripeFault(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
  }

  function control(method, path, body, res) {
    let m;
    if (path === "/__control/reset") {
      Object.assign(state, { objects: new Map(), requests: [], faults: [], idempotent: new Map() });
      return { ok: true };
    }
    if (path === "/__control/requests") return { requests: state.requests };
    if (path === "/__control/faults") {
      state.faults.push({ times: 1, status: 500, ...body });
      return { ok: true };
    }
    if ((m = path.match(/^\/__control\/objects\/([^/]+)$/))) {
      const obj = state.objects.get(m[1]);
      if (!obj) throw missing("object", m[1]);
      return publicView(obj);
    }
    if ((m = path.match(/^\/__control\/checkout\/([^/]+)\/complete$/))) return completeCheckout(m[1], body);
    if ((m = path.match(/^\/__control\/subscriptions\/([^/]+)\/renew$/))) {
      const sub = get(m[1], "subscription", "id");
      return { invoice: invoiceFor(sub, "subscription_cycle") };
    }
    if ((m = path.match(/^\/__control\/subscriptions\/([^/]+)\/price$/))) return { subscription: changeSubscriptionPrice(m[1], body) };
    if ((m = path.match(/^\/__control\/subscriptions\/([^/]+)\/cancel$/))) return { subscription: cancelSubscription(m[1]) };
    res.statusCode = 404;
    return { error: { message: `No control route ${method} ${path}` } };
  }

  const server = http.createServer(async (req, res) => {
    let raw = "";
    for await (const part of req) raw += part;
    const path = (req.url ?? "/").split("?")[0];
    const method = req.method ?? "GET";
    try {
      if (path.startsWith("/__control/")) {
        const out = control(method, path, raw ? JSON.parse(raw) : {}, res);
        return json(res, res.statusCode === 404 ? 404 : 200, out);
      }
      const body = method === "GET" ? parseForm((req.url ?? "").split("?")[1] ?? "") : parseForm(raw);
      state.requests.push({
        method,
        path,
        body,
        idempotencyKey: req.headers["idempotency-key"] ?? null,
        stripeVersion: req.headers["stripe-version"] ?? null,
        at: Date.now(),
      });
      const auth = req.headers.authorization ?? "";
      if (!/^Bearer sk_(test|live)_\S+$/.test(auth))
        throw new StripeFault(401, "invalid_request_error", "Invalid API Key provided: a secret key (sk_…) is required.");
      const fault = takeFault(method, path);
      if (fault)
        throw new StripeFault(fault.status, fault.status >= 500 ? "api_error" : "invalid_request_error", fault.message ?? `Injected ${fault.status}`);
      if (method === "POST" && !/^application\/x-www-form-urlencoded/.test(req.headers["content-type"] ?? ""))
        throw invalid("Request bodies must be application/x-www-form-urlencoded.");
      // Like Stripe, a POST repeated with the same Idempotency-Key gets the first answer back.
      const key = method === "POST" && req.headers["idempotency-key"];
      if (key && state.idempotent.has(key)) return json(res, 200, state.idempotent.get(key));
      const out = api(method, path, body);
      if (key) state.idempotent.set(key, out);
      json(res, 200, out);
    } catch (e) {
      if (e instanceof StripeFault) return json(res, e.status, { error: { type: e.type, message: e.message, ...e.extra } });
      json(res, 500, { error: { type: "api_error", message: String(e) } });
    }
  });
  await new Promise((r) => server.listen(port, host, r));
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    state,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const fake = await startFakeStripe({ port: Number(process.argv[2] ?? 12111) });
  console.log(`fake Stripe listening on ${fake.url}`);
}
