// Admin, money: roles; a priced role is a monthly plan backed by a Stripe price.
import { num, usd } from "../../format";
import { Role } from "./Users";
import { CatalogSection } from "./Catalog";

export const RolesSection = () => (
  <CatalogSection<Role>
    what="Role administration"
    noun="role"
    path="/api/admin/roles"
    listKey="roles"
    caption="Roles"
    columns={[
      { label: "Monthly text", num: true },
      { label: "Monthly images", num: true },
      { label: "Price", num: true },
      "Flags",
    ]}
    cells={(r) => (
      <>
        <td class="num">{num(r.monthlyTextCredits)}</td>
        <td class="num">{num(r.monthlyImageCredits)}</td>
        <td class="num">{r.priceUsd > 0 ? `${usd(r.priceUsd)}/mo` : "Free"}</td>
        <td>
          {r.isAdmin && <span class="badge">admin</span>} {r.protected && <span class="badge">built-in</span>}{" "}
          {r.active === false && <span class="badge">retired</span>}
        </td>
      </>
    )}
    fields={(r) => [
      { key: "name", label: "Name", disabled: r?.protected },
      { key: "monthlyTextCredits", label: "Monthly text credits", kind: "integer" },
      { key: "monthlyImageCredits", label: "Monthly image credits", kind: "integer" },
      { key: "priceUsd", label: "Price per month (USD)", kind: "decimal", disabled: r?.isAdmin },
    ]}
    canDelete={(r) => !r.protected}
    create={{
      title: "New plan",
      submitLabel: "Create plan",
      blank: { name: "", monthlyTextCredits: "0", monthlyImageCredits: "0", priceUsd: "0" },
      created: "Role created.",
    }}
  />
);
