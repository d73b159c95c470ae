// Admin, site: the registration and maintenance switches and the signup grant.
import { useEffect, useState } from "preact/hooks";
import type { SiteSettings } from "../../../shared/api";
import { get, patch } from "../../api";
import { Checkbox, Form, FormError, TextField } from "../../components/Field";
import { Loading } from "../../components/misc";
import { Unavailable } from "../../components/Unavailable";
import { useSubmit, type FieldErrors } from "../../components/useSubmit";
import { toast } from "../../toast";

export type Site = SiteSettings;

export function SiteSection() {
  const [site, setSite] = useState<Site | null>(null);
  const [form, setForm] = useState<{
    registrationDisabled: boolean;
    maintenanceMode: boolean;
    signupTextCredits: string;
    signupImageCredits: string;
  } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { fields, error: formError, run } = useSubmit();
  const fill = (s: Site) => {
    setSite(s);
    setForm({ ...s, signupTextCredits: String(s.signupTextCredits), signupImageCredits: String(s.signupImageCredits) });
  };
  useEffect(() => {
    get<{ site: Site }>("/api/admin/site").then((r) => fill(r.site), setError);
  }, []);
  if (error) return <Unavailable what="Site settings" error={error} />;
  if (!site || !form) return <Loading />;
  return (
    <Form
      class="card narrow-card"
      onSubmit={() => {
        const f: FieldErrors = {};
        const t = Number(form.signupTextCredits);
        const i = Number(form.signupImageCredits);
        if (!Number.isInteger(t) || t < 0) f.signupTextCredits = "A whole number, 0 or more";
        if (!Number.isInteger(i) || i < 0) f.signupImageCredits = "A whole number, 0 or more";
        run(f, async () => {
          const r = await patch<{ site: Site }>("/api/admin/site", {
            registrationDisabled: form.registrationDisabled,
            maintenanceMode: form.maintenanceMode,
            signupTextCredits: t,
            signupImageCredits: i,
          });
          fill(r.site);
          toast("Site settings saved.", "success");
        });
      }}
    >
      <FormError error={formError} />
      <Checkbox
        label="Registration closed"
        hint="New sign-ups are refused."
        checked={form.registrationDisabled}
        onChecked={(registrationDisabled) => setForm({ ...form, registrationDisabled })}
      />
      <Checkbox
        label="Maintenance mode"
        hint="Everyone but admins gets a maintenance message."
        checked={form.maintenanceMode}
        onChecked={(maintenanceMode) => setForm({ ...form, maintenanceMode })}
      />
      <div class="grid-2">
        <TextField
          label="Text credits for new accounts"
          inputMode="numeric"
          value={form.signupTextCredits}
          onValue={(signupTextCredits) => setForm({ ...form, signupTextCredits })}
          error={fields.signupTextCredits}
        />
        <TextField
          label="Image credits for new accounts"
          inputMode="numeric"
          value={form.signupImageCredits}
          onValue={(signupImageCredits) => setForm({ ...form, signupImageCredits })}
          error={fields.signupImageCredits}
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary">
          Save settings
        </button>
      </div>
    </Form>
  );
}

// ------------------------------------------------------------------ roles and packages

/** One input of a role or a package, the same in its New form and its inline editor. */
