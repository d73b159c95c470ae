// What every admin section shares about its frame: the heading Admin.tsx draws above it.
export const SECTION_TITLE_ID = "admin-section-title";

/** Where focus goes when what had it is gone (a deleted row): the section's heading. */
export const focusSectionTitle = () => requestAnimationFrame(() => document.getElementById(SECTION_TITLE_ID)?.focus());
