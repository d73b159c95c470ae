// The admin console's sections, in menu order: each is one file with one component. A new
// section is a file and a line here; the menu, the route (/admin/<id>) and the title follow.
import type { FunctionComponent } from "preact";
import { AnalyticsSection } from "./Analytics";
import { FeedbackSection } from "./Feedback";
import { GenerationsSection } from "./Generations";
import { NewsSection } from "./News";
import { PackagesSection } from "./Packages";
import { PricingSection } from "./Pricing";
import { RolesSection } from "./Roles";
import { SiteSection } from "./SiteSettings";
import { StoriesSection } from "./Stories";
import { TagsSection } from "./Tags";
import { UsersSection } from "./Users";

/** What an admin comes to do; the menu groups sections under these headings. */
export type Group = "Money" | "People" | "Community" | "Site";

export type AdminSection = { id: string; label: string; group: Group; Component: FunctionComponent };

export const SECTIONS: AdminSection[] = [
  { id: "pricing", label: "Pricing", group: "Money", Component: PricingSection },
  { id: "analytics", label: "Analytics", group: "Money", Component: AnalyticsSection },
  { id: "roles", label: "Roles", group: "Money", Component: RolesSection },
  { id: "packages", label: "Packages", group: "Money", Component: PackagesSection },
  { id: "users", label: "Users", group: "People", Component: UsersSection },
  { id: "generations", label: "Generation logs", group: "People", Component: GenerationsSection },
  { id: "stories", label: "Stories", group: "Community", Component: StoriesSection },
  { id: "tags", label: "Tags", group: "Community", Component: TagsSection },
  { id: "news", label: "News", group: "Community", Component: NewsSection },
  { id: "feedback", label: "Feedback", group: "Community", Component: FeedbackSection },
  { id: "site", label: "Site settings", group: "Site", Component: SiteSection },
];
