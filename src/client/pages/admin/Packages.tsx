// Admin, money: one-time credit packages, each backed by a Stripe price.
import type { AdminPackage } from "../../../shared/api";
import { num, usd } from "../../format";
import { CREDIT_TYPES } from "./Users";
import { CatalogSection } from "./Catalog";


export const PackagesSection = () => (
  <CatalogSection<AdminPackage>
    what="Package administration"
    noun="package"
    path="/api/admin/packages"
    listKey="packages"
    caption="Credit packages"
    columns={["Type", { label: "Credits", num: true }, { label: "Price", num: true }, "Status"]}
    cells={(p) => (
      <>
        <td>{p.creditType}</td>
        <td class="num">{num(p.credits)}</td>
        <td class="num">{usd(p.priceUsd)}</td>
        <td>{p.active === false ? <span class="badge">retired</span> : <span class="badge badge-success">on sale</span>}</td>
      </>
    )}
    fields={() => [
      { key: "name", label: "Name" },
      { key: "creditType", label: "Credit type", kind: "select", options: CREDIT_TYPES },
      { key: "credits", label: "Credits", kind: "integer" },
      { key: "priceUsd", label: "Price (USD)", kind: "decimal" },
    ]}
    empty="No packages yet."
    create={{
      title: "New package",
      submitLabel: "Create package",
      blank: { name: "", creditType: "text", credits: "", priceUsd: "" },
      created: "Package created.",
    }}
  />
);
