// Billing: credit packages (one-time), plans (monthly), and the Stripe customer portal.
import { useEffect, useState } from "preact/hooks";
import type { BillingCatalog, PortalSession } from "../../shared/api";
import { post } from "../api";
import { Loading, Notice, useTitle } from "../components/misc";
import { Unavailable } from "../components/Unavailable";
import { useGet } from "../components/useGet";
import { num, usd } from "../format";
import { useLocation } from "../router";
import { refreshMe, session } from "../session";
import { useStore } from "../store";
import { orToast, toast } from "../toast";


const redirectTo = orToast(async (path: string, body: unknown) => {
  const { url } = await post<PortalSession>(path, body);
  // Only ever follow an https URL (Stripe's) or one of ours.
  if (/^https:\/\//.test(url) || url.startsWith("/")) location.assign(url);
  else toast("The payment page address looks wrong; nothing was opened.", "error");
});

export default function Billing() {
  useTitle("Billing");
  const { user } = useStore(session);
  const { search } = useLocation();
  const { data: catalog, error } = useGet<BillingCatalog>("/api/billing/catalog");
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    if (search.get("checkout") === "success") refreshMe();
  }, []);
  const go = async (key: string, path: string, body: unknown) => {
    setBusy(key);
    await redirectTo(path, body);
    setBusy(null);
  };
  const enabled = !!catalog?.enabled;
  const packages = catalog?.packages ?? [];
  const plans = catalog?.roles ?? [];
  return (
    <div class="page">
      <h1>Billing</h1>
      {search.get("checkout") === "success" && (
        <Notice tone="success" role="status">
          <p>Thank you! Your payment went through; credits appear as soon as Stripe confirms it.</p>
        </Notice>
      )}
      {(search.get("checkout") === "cancelled" || search.get("checkout") === "cancel") && (
        <Notice tone="info" role="status">
          <p>The payment was cancelled. Nothing was charged.</p>
        </Notice>
      )}
      {user && (
        <p class="lead-sm">
          You have <strong>{num(user.credits.text)}</strong> text credits and <strong>{num(user.credits.image)}</strong> image credits, on the{" "}
          <strong>{user.role}</strong> plan.
        </p>
      )}
      {error ? (
        <Unavailable what="Billing" error={error} />
      ) : !catalog ? (
        <Loading />
      ) : (
        <>
          {!enabled && (
            <Notice tone="info" title="Payments are not enabled on this server.">
              <p>{catalog.message ?? "Ask an administrator for credits."}</p>
            </Notice>
          )}
          <section aria-labelledby="pk-title">
            <h2 id="pk-title">Credit packages</h2>
            {packages.length === 0 ? (
              <p class="muted">No packages on offer.</p>
            ) : (
              <ul class="price-grid">
                {packages.map((p) => (
                  <li key={p.id} class="card price-card">
                    <p class="price-kind">{p.name ?? (p.creditType === "image" ? "Image credits" : "Text credits")}</p>
                    <p class="price-amount">
                      {num(p.credits)} <span class="price-unit">{p.creditType === "image" ? "image credits" : "text credits"}</span>
                    </p>
                    <p class="price-usd">{usd(p.priceUsd)}</p>
                    <button
                      type="button"
                      class="btn btn-primary"
                      disabled={!enabled || busy !== null}
                      aria-label={`Buy ${p.credits} ${p.creditType} credits for ${usd(p.priceUsd)}`}
                      onClick={() => go(`p${p.id}`, "/api/billing/checkout", { packageId: p.id })}
                    >
                      {busy === `p${p.id}` ? "Opening…" : "Buy"}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="plan-title">
            <h2 id="plan-title">Plans</h2>
            {plans.length === 0 ? (
              <p class="muted">No plans on offer.</p>
            ) : (
              <ul class="price-grid">
                {plans.map((r) => {
                  const current = catalog.account ? catalog.account.roleId === r.id : user?.role === r.name;
                  return (
                    <li key={r.id} class={`card price-card${current ? " is-current" : ""}`}>
                      <p class="price-kind">{r.name}</p>
                      <p class="price-amount">{r.priceUsd > 0 ? `${usd(r.priceUsd)}/mo` : "Free"}</p>
                      <p class="muted small">
                        {num(r.monthlyTextCredits)} text and {num(r.monthlyImageCredits)} image credits a month
                      </p>
                      {current ? (
                        <span class="badge badge-success">Your plan</span>
                      ) : r.priceUsd > 0 ? (
                        <button type="button" class="btn btn-primary" disabled={!enabled || busy !== null} onClick={() => go(`r${r.id}`, "/api/billing/checkout", { roleId: r.id })}>
                          {busy === `r${r.id}` ? "Opening…" : "Subscribe"}
                        </button>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
          <section class="card" aria-labelledby="portal-title">
            <h2 id="portal-title">Invoices and subscription</h2>
            <p class="muted">Change or cancel your plan, update your card and download invoices in Stripe's customer portal. Purchased credits are always kept.</p>
            <button
              type="button"
              class="btn"
              disabled={!enabled || busy !== null || catalog.account?.hasBillingAccount === false}
              onClick={() => go("portal", "/api/billing/portal", {})}
            >
              {busy === "portal" ? "Opening…" : "Open the customer portal"}
            </button>
            {catalog.account?.hasBillingAccount === false && <p class="muted small">The portal opens once you have bought something.</p>}
          </section>
        </>
      )}
    </div>
  );
}
